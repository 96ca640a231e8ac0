package io.steward.node.server;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.BackupSeries;
import io.steward.core.backup.BackupTiming;
import io.steward.core.backup.DuePlan;
import io.steward.core.backup.RunStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The backup schedule's decisions, made without an actor: what a job needs now (start a run, refuse one, record
 * missed due times, give up on a lost run), when to look again, the status a person sees, and the series the alert
 * rules read. {@link BackupHandler} carries them out.
 */
final class BackupDecisions {
    /** A start the agent did not confirm within this long failed (the frame was lost with its connection). */
    static final Duration START_CONFIRMATION = Duration.ofSeconds(60);
    /** A run's result may take this long past its own timeout before the run counts as lost. */
    static final Duration LEASE_MARGIN = Duration.ofMinutes(10);
    /** A job is looked at at least this often (its recovery point ages; the stale rule reads it). */
    static final Duration MAX_WAKE = Duration.ofSeconds(60);
    /**
     * A lease found ended after this process stood still is held this much longer, once: the result may be unread
     * behind the wake that fired as the process woke (the agent resends unacknowledged results when it reconnects).
     */
    static final Duration LEASE_HOLD = Duration.ofSeconds(60);

    private BackupDecisions() {}

    /** What the schedule asks of one job now. */
    sealed interface Step {
        /** Start a run for {@code dueFor}; {@code catchUp} when it runs later than its grace allowed. */
        record Start(Instant dueFor, boolean catchUp) implements Step {}

        /** Record the due time as refused: no run can start without a trusted host key. */
        record Refuse(Instant dueFor, String reason) implements Step {}

        /** Record due times whose grace ran out without a run. */
        record Missed(int count, Instant first, Instant last, String reason) implements Step {}

        /** The running run's lease ran out without a result: it is lost. */
        record Lost(String runId, String reason) implements Step {}
    }

    /**
     * What the job's surroundings allow now; {@code leaseHeldUntil}, when set, the running run's lease is held until
     * then (see {@link #LEASE_HOLD}).
     */
    record Conditions(boolean agentConnected, boolean destinationBusy, BackupTiming timing,
            @Nullable Instant leaseHeldUntil) {
        Conditions(boolean agentConnected, boolean destinationBusy) {
            this(agentConnected, destinationBusy, BackupTiming.DEFAULT, null);
        }
    }

    /** When the running run's lease ends: its own end, or a hold's when later; null for a run without a lease. */
    static @Nullable Instant leaseEnds(BackupJob.Run running, @Nullable Instant heldUntil) {
        Instant lease = running.leaseUntil();
        return lease != null && heldUntil != null && heldUntil.isAfter(lease) ? heldUntil : lease;
    }

    /** The steps one job needs at {@code now}, in order; empty when it only waits. */
    static List<Step> steps(BackupJob job, Instant now, Conditions conditions) {
        List<Step> steps = new ArrayList<>();
        BackupJob.Run running = job.running();
        Instant leaseEnds = running == null ? null : leaseEnds(running, conditions.leaseHeldUntil());
        if (leaseEnds != null && !now.isBefore(leaseEnds)) {
            steps.add(new Step.Lost(running.id(), "no result from the agent by " + leaseEnds
                    + (leaseEnds.equals(running.leaseUntil()) ? " (the run's lease)"
                            : " (the run's lease, held after this node stood still)")
                    + ": the run was lost, e.g. the agent stopped during it"));
            running = null;
        }
        if (!job.settings().enabled()) {
            return steps;
        }
        BackupSchedule schedule = job.settings().schedule();
        DuePlan plan = DuePlan.of(schedule, job.lastHandledDue(), now, conditions.timing());
        if (plan.runFor() == null) {
            return steps;
        }
        boolean free = running == null && conditions.agentConnected() && !conditions.destinationBusy();
        // Due times whose grace ran out without a run are missed, each recorded once, whatever happens next.
        Instant counted = job.missedThrough() != null && job.missedThrough().isAfter(job.lastHandledDue())
                ? job.missedThrough() : job.lastHandledDue();
        DuePlan unrecorded = DuePlan.of(schedule, counted, now, conditions.timing());
        if (unrecorded.missed() > 0) {
            String reason = !conditions.agentConnected() ? "the agent was not connected"
                    : running != null ? "the previous run was still running"
                    : conditions.destinationBusy() ? "another job was writing to the same destination"
                    : "nothing could start it in time (the node was not running)";
            steps.add(new Step.Missed(unrecorded.missed(), unrecorded.oldestMissed(),
                    lastMissed(schedule, unrecorded, now, conditions.timing()), reason));
        }
        if (free) {
            // One run for the latest due time, however many passed: a catch-up when it is late.
            Instant due = plan.runFor();
            boolean late = due.plus(schedule.graceAt(due, conditions.timing())).isBefore(now) || plan.missed() > 0;
            Optional<String> untrusted = whyNoTrustedKey(job);
            steps.add(untrusted.isPresent() ? new Step.Refuse(due, untrusted.get()) : new Step.Start(due, late));
        }
        return steps;
    }

    /** The last due time of {@code plan} whose grace has run out by {@code now}. */
    private static Instant lastMissed(BackupSchedule schedule, DuePlan plan, Instant now, BackupTiming timing) {
        Instant due = plan.runFor();
        if (due != null && due.plus(schedule.graceAt(due, timing)).isBefore(now)) {
            return due;
        }
        // The latest due time is still within its grace: the one before it is the last missed.
        Instant last = plan.oldestMissed();
        for (Instant next = schedule.nextAfter(last); due != null && next.isBefore(due);
                next = schedule.nextAfter(next)) {
            last = next;
        }
        return last;
    }

    /** Why runs cannot use the destination's host key now, if they cannot. */
    static Optional<String> whyNoTrustedKey(BackupJob job) {
        BackupJob.HostKeyState key = job.hostKey();
        if (key.trustedKey().isPresent()) {
            return Optional.empty();
        }
        if (key.changed()) {
            return Optional.of("the destination's host key changed: compare the new fingerprint and trust it");
        }
        if (key.seen() == null) {
            return Optional.of("the destination's host key has not been fetched yet"
                    + (key.error() == null ? "" : " (" + key.error() + ")"));
        }
        return Optional.of("the destination's host key " + key.seen().fingerprint()
                + " is not trusted yet: compare it and trust it");
    }

    /** Until when a run started at {@code at} may go without a result: its timeout and a margin, else one period. */
    static Instant leaseUntil(BackupSettings settings, Instant at) {
        Duration timeout = settings.spec().timeout();
        Duration lease = timeout != null ? timeout.plus(LEASE_MARGIN) : settings.schedule().periodAt(at);
        return at.plus(lease);
    }

    /** When the job needs looking at next (a due time, the end of a grace, a lease), at most {@link #MAX_WAKE}. */
    static Instant nextWake(BackupJob job, Instant now, BackupTiming timing) {
        return nextWake(job, now, timing, null);
    }

    /** As {@link #nextWake(BackupJob, Instant, BackupTiming)}, the running run's lease held until the given time. */
    static Instant nextWake(BackupJob job, Instant now, BackupTiming timing, @Nullable Instant leaseHeldUntil) {
        Instant wake = now.plus(MAX_WAKE);
        Instant leaseEnds = job.running() == null ? null : leaseEnds(job.running(), leaseHeldUntil);
        if (leaseEnds != null) {
            wake = earlier(wake, leaseEnds);
        }
        if (job.settings().enabled()) {
            BackupSchedule schedule = job.settings().schedule();
            DuePlan plan = DuePlan.of(schedule, job.lastHandledDue(), now, timing);
            wake = earlier(wake, plan.nextDue());
            if (plan.runFor() != null) {
                Instant graceEnds = plan.runFor().plus(schedule.graceAt(plan.runFor(), timing));
                if (graceEnds.isAfter(now)) {
                    wake = earlier(wake, graceEnds.plusMillis(1));
                }
            }
        }
        return wake.isAfter(now) ? wake : now.plusMillis(100);
    }

    /** When the next scheduled run is due, or null when the job is off. */
    static @Nullable Instant nextRunAt(BackupJob job, Instant now) {
        if (!job.settings().enabled()) {
            return null;
        }
        DuePlan plan = DuePlan.of(job.settings().schedule(), job.lastHandledDue(), now);
        return plan.runFor() != null ? plan.runFor() : plan.nextDue();
    }

    /** Whether a test restore of the newest snapshot is due. */
    static boolean verifyDue(BackupJob job, Instant now) {
        int hours = job.settings().verifyEveryHours();
        if (hours == 0 || job.lastGood() == null || !job.settings().enabled()) {
            return false;
        }
        BackupJob.Verification last = job.verification();
        // Counted from the last test restore, or from the job's creation (not from the newest snapshot, which a job
        // running more often than it verifies would push away for ever).
        Instant since = last == null ? job.createdAt() : last.at();
        return !since.plus(Duration.ofHours(hours)).isAfter(now);
    }

    /** The badge: running, failed, late, never-run or ok. */
    static BackupsBody.Status status(BackupJob job, Instant now, BackupTiming timing) {
        if (job.running() != null) {
            return BackupsBody.Status.RUNNING;
        }
        BackupJob.Run newest = job.runs().isEmpty() ? null : job.runs().get(0);
        boolean verifyFailed = job.verification() != null && !job.verification().ok()
                && job.verification().failure() == BackupFailure.MISMATCH;
        if (newest != null && (newest.state() == BackupJob.RunState.FAILED
                || newest.state() == BackupJob.RunState.REFUSED || newest.state() == BackupJob.RunState.MISSED)
                || job.hostKey().changed() || verifyFailed) {
            return BackupsBody.Status.FAILED;
        }
        if (newest == null) {
            return BackupsBody.Status.NEVER_RUN;
        }
        if (job.settings().enabled()) {
            BackupSchedule schedule = job.settings().schedule();
            DuePlan plan = DuePlan.of(schedule, job.lastHandledDue(), now, timing);
            Instant since = job.lastGood() == null ? job.createdAt() : job.lastGood().at();
            Duration period = schedule.periodAt(job.lastHandledDue());
            if (plan.runFor() != null || Duration.between(since, now).compareTo(period.multipliedBy(2)) > 0) {
                return BackupsBody.Status.LATE;
            }
        }
        return BackupsBody.Status.OK;
    }

    /**
     * The series the alert rules read, per enabled job ({@code backup.failed{job=www-x1y2}} …): failed, missed,
     * incomplete (a warning run), host key changed and verification failed as 0/1; the recovery point's age in
     * seconds and in periods of the schedule; the last good snapshot's size, files and duration; and how much it
     * shrank against the one before (percent, the larger of size and file count).
     */
    static Map<String, Double> series(BackupBook book, Instant now) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (BackupJob job : book.jobs().values()) {
            if (!job.settings().enabled()) {
                continue;
            }
            String label = "{job=" + job.id() + "}";
            BackupJob.Run newest = job.runs().isEmpty() ? null : job.runs().get(0);
            BackupJob.RunState state = newest == null ? null : newest.state();
            series.put(BackupSeries.FAILED + label, flag(state == BackupJob.RunState.FAILED
                    || state == BackupJob.RunState.REFUSED));
            // A run started since (a catch-up) answers the missed due time; its own outcome says the rest.
            series.put(BackupSeries.MISSED + label, flag(state == BackupJob.RunState.MISSED
                    && job.running() == null));
            series.put(BackupSeries.INCOMPLETE + label, flag(state == BackupJob.RunState.WARNING));
            series.put(BackupSeries.HOST_KEY_CHANGED + label, flag(job.hostKey().changed()));
            series.put(BackupSeries.VERIFY_FAILED + label, flag(job.verification() != null
                    && job.verification().failure() == BackupFailure.MISMATCH));
            Instant since = job.lastGood() == null ? job.createdAt() : job.lastGood().at();
            double age = Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
            series.put(BackupSeries.AGE_SECONDS + label, age);
            double period = job.settings().schedule().periodAt(job.lastHandledDue()).toSeconds();
            series.put(BackupSeries.AGE_PERIODS + label, age / period);
            if (job.lastGood() != null) {
                RunStats stats = job.lastGood().stats();
                series.put(BackupSeries.SIZE_BYTES + label, (double) stats.totalBytes());
                series.put(BackupSeries.FILES + label, (double) stats.filesTotal());
                series.put(BackupSeries.DURATION_SECONDS + label, stats.durationMillis() / 1000.0);
                series.put(BackupSeries.SHRINK_PERCENT + label, shrinkPercent(job));
            }
        }
        return series;
    }

    /** How much the last good snapshot shrank against the one before, in percent (0 when it grew or is first). */
    static double shrinkPercent(BackupJob job) {
        if (job.lastGood() == null || job.previousGood() == null) {
            return 0;
        }
        RunStats now = job.lastGood().stats();
        RunStats before = job.previousGood().stats();
        return Math.max(drop(now.totalBytes(), before.totalBytes()), drop(now.filesTotal(), before.filesTotal()));
    }

    private static double drop(long now, long before) {
        return before <= 0 || now >= before ? 0 : (before - now) * 100.0 / before;
    }

    private static double flag(boolean on) {
        return on ? 1 : 0;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
