package io.steward.node.server;

import com.typesafe.config.Config;
import io.steward.core.services.RecoveryPolicy;
import java.time.Duration;

/** Tunables of every server entity, read once from {@code steward.server}. */
public record ServerEntitySettings(int offlineAfterMissedReports, int recentWindow, Duration minimumOfflineDelay,
        RecoveryPolicy recovery, Duration commandTimeout) {

    public ServerEntitySettings(int offlineAfterMissedReports, int recentWindow, Duration minimumOfflineDelay) {
        this(offlineAfterMissedReports, recentWindow, minimumOfflineDelay, RecoveryPolicy.DEFAULT,
                Duration.ofSeconds(30));
    }

    public ServerEntitySettings {
        if (offlineAfterMissedReports < 1) {
            throw new IllegalArgumentException("steward.server.offline-after-missed-reports must be >= 1");
        }
        if (recentWindow < 1 || recentWindow > 10_000) {
            throw new IllegalArgumentException("steward.server.recent-window must be within 1..10000");
        }
    }

    public static ServerEntitySettings fromConfig(Config config) {
        Config server = config.getConfig("steward.server");
        Config services = config.getConfig("steward.services");
        RecoveryPolicy recovery = new RecoveryPolicy(services.getInt("restart-attempts"),
                services.getDurationList("restart-backoff"), services.getInt("flap-restarts"),
                services.getDuration("flap-window"));
        return new ServerEntitySettings(server.getInt("offline-after-missed-reports"), server.getInt("recent-window"),
                Duration.ofSeconds(1), recovery, services.getDuration("command-timeout"));
    }

    /** How long without a report before a server with this interval counts as offline. */
    Duration offlineDelay(long intervalMillis) {
        Duration delay = Duration.ofMillis(Math.max(1, intervalMillis) * offlineAfterMissedReports);
        return delay.compareTo(minimumOfflineDelay) < 0 ? minimumOfflineDelay : delay;
    }
}
