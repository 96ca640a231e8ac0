package io.steward.node.server;

import com.typesafe.config.Config;
import io.steward.core.backup.BackupTiming;
import io.steward.core.retry.OverdueTimers;
import io.steward.core.services.RecoveryPolicy;
import java.time.Duration;

/**
 * Tunables of every server entity, read once from {@code steward.server} and {@code steward.services}.
 *
 * @param snapshotEvery a snapshot of the state is stored after this many events, so recovery replays at most this many
 * @param keepSnapshots how many snapshots are kept (the events themselves are never deleted: they are the history)
 * @param backupTiming the least grace and shortest period of backup schedules ({@code steward.backups})
 * @param reEnrollApprovalWindow a machine whose agent reported within this long re-enrolls only with an admin's
 *     approval (an agent that is merely rebooting or cut off still holds its credential)
 * @param recoveryGrace added to the offline delay of an entity that just started (after a node restart, or on a
 *     surviving node after a failover): its agent is still finding a node, which is no reason to call it offline
 * @param overdueTimers what an offline timer that fires long after it was due does (this node was frozen)
 */
public record ServerEntitySettings(int offlineAfterMissedReports, int recentWindow, Duration minimumOfflineDelay,
        RecoveryPolicy recovery, Duration commandTimeout, int snapshotEvery, int keepSnapshots,
        BackupTiming backupTiming, Duration reEnrollApprovalWindow, Duration recoveryGrace,
        OverdueTimers overdueTimers) {
    public static final int DEFAULT_SNAPSHOT_EVERY = 500;
    public static final Duration DEFAULT_RE_ENROLL_APPROVAL_WINDOW = Duration.ofDays(7);
    public static final int DEFAULT_KEEP_SNAPSHOTS = 2;

    public ServerEntitySettings(int offlineAfterMissedReports, int recentWindow, Duration minimumOfflineDelay) {
        this(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, RecoveryPolicy.DEFAULT,
                Duration.ofSeconds(30));
    }

    public ServerEntitySettings(int offlineAfterMissedReports, int recentWindow, Duration minimumOfflineDelay,
            RecoveryPolicy recovery, Duration commandTimeout) {
        this(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, recovery, commandTimeout,
                DEFAULT_SNAPSHOT_EVERY, DEFAULT_KEEP_SNAPSHOTS, BackupTiming.DEFAULT, DEFAULT_RE_ENROLL_APPROVAL_WINDOW,
                Duration.ZERO, OverdueTimers.DEFAULT);
    }

    public ServerEntitySettings {
        if (offlineAfterMissedReports < 1) {
            throw new IllegalArgumentException("steward.server.offline-after-missed-reports must be >= 1");
        }
        if (recentWindow < 1 || recentWindow > 10_000) {
            throw new IllegalArgumentException("steward.server.recent-window must be within 1..10000");
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("steward.server.snapshot-every must be >= 1");
        }
        if (keepSnapshots < 1) {
            throw new IllegalArgumentException("steward.server.keep-snapshots must be >= 1");
        }
        if (recoveryGrace == null || recoveryGrace.isNegative()) {
            throw new IllegalArgumentException("steward.server.offline-grace-after-start must be >= 0");
        }
        if (overdueTimers == null) {
            throw new IllegalArgumentException("steward.server.overdue-timers is missing");
        }
    }

    public static ServerEntitySettings fromConfig(Config config) {
        Config server = config.getConfig("steward.server");
        Config services = config.getConfig("steward.services");
        RecoveryPolicy recovery = new RecoveryPolicy(services.getInt("restart-attempts"),
                services.getDurationList("restart-backoff"), services.getInt("flap-restarts"),
                services.getDuration("flap-window"));
        return new ServerEntitySettings(server.getInt("offline-after-missed-reports"), server.getInt("recent-window"),
                Duration.ofSeconds(1), recovery, services.getDuration("command-timeout"),
                server.getInt("snapshot-every"), server.getInt("keep-snapshots"), backupTiming(config),
                server.getDuration("re-enroll-approval-window"), server.getDuration("offline-grace-after-start"),
                overdueTimers(config));
    }

    /** {@code steward.backups}: the least grace and the shortest period of a backup schedule. */
    public static BackupTiming backupTiming(Config config) {
        Config backups = config.getConfig("steward.backups");
        return new BackupTiming(backups.getDuration("minimum-grace"), backups.getDuration("minimum-period"));
    }

    /** {@code steward.server.overdue-timers}: how a timer that fires long after it was due is handled. */
    public static OverdueTimers overdueTimers(Config config) {
        Config overdue = config.getConfig("steward.server.overdue-timers");
        try {
            return new OverdueTimers(overdue.getDuration("tolerance"), overdue.getDuration("recheck"),
                    overdue.getDuration("settle-limit"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("steward.server.overdue-timers: " + e.getMessage(), e);
        }
    }

    public ServerEntitySettings withSnapshots(int every, int keep) {
        return new ServerEntitySettings(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, recovery,
                commandTimeout, every, keep, backupTiming, reEnrollApprovalWindow, recoveryGrace, overdueTimers);
    }

    public ServerEntitySettings withBackupTiming(BackupTiming timing) {
        return new ServerEntitySettings(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, recovery,
                commandTimeout, snapshotEvery, keepSnapshots, timing, reEnrollApprovalWindow, recoveryGrace,
                overdueTimers);
    }

    public ServerEntitySettings withOverdueTimers(OverdueTimers value) {
        return new ServerEntitySettings(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, recovery,
                commandTimeout, snapshotEvery, keepSnapshots, backupTiming, reEnrollApprovalWindow, recoveryGrace,
                value);
    }

    /** How long without a report before a server with this interval counts as offline. */
    Duration offlineDelay(long intervalMillis) {
        return offlineDelay(intervalMillis, offlineAfterMissedReports);
    }

    /** The same with a threshold given at runtime (an admin's setting) instead of the configured one. */
    Duration offlineDelay(long intervalMillis, int missedReports) {
        Duration delay = Duration.ofMillis(Math.max(1, intervalMillis) * Math.max(1, missedReports));
        return delay.compareTo(minimumOfflineDelay) < 0 ? minimumOfflineDelay : delay;
    }
}
