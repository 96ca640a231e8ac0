package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupTiming;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.RunStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backup schedule's decisions and what people and rules see of a job, without an actor. */
class BackupDecisionsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final HostKey KEY =
            HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
    private static final BackupTiming TIMING = BackupTiming.DEFAULT;
    private static final BackupDecisions.Conditions CONNECTED = new BackupDecisions.Conditions(true, false);
    private static final BackupDecisions.Conditions AWAY = new BackupDecisions.Conditions(false, false);

    /** A job every 6 hours from T0 (first due T0 + 6 h; grace 36 min), its host key trusted. */
    private static BackupJob trustedJob() {
        BackupJob job = BackupJob.created(BackupSamples.everyHours("www", 6, T0), "alice", T0);
        job = job.apply(new BackupEvent.HostKeySeen("www", KEY, T0));
        return job.apply(new BackupEvent.HostKeyTrusted("www", KEY.fingerprint(), "alice", T0));
    }

    private static Instant hours(double h) {
        return T0.plusSeconds((long) (h * 3600));
    }

    @Test
    void nothingHappensBeforeTheFirstDueTimeAndItStartsOnTime() {
        assertThat(BackupDecisions.steps(trustedJob(), hours(5.9), CONNECTED)).isEmpty();
        assertThat(BackupDecisions.steps(trustedJob(), hours(6), CONNECTED))
                .containsExactly(new BackupDecisions.Step.Start(hours(6), false));
        assertThat(BackupDecisions.nextWake(trustedJob(), hours(5.99), TIMING)).isEqualTo(hours(6));
    }

    @Test
    void withoutATrustedHostKeyTheDueRunIsRefusedSayingWhy() {
        BackupJob fresh = BackupJob.created(BackupSamples.everyHours("www", 6, T0), "alice", T0);
        assertThat(BackupDecisions.steps(fresh, hours(6), CONNECTED)).singleElement()
                .isInstanceOfSatisfying(BackupDecisions.Step.Refuse.class, refuse ->
                        assertThat(refuse.reason()).contains("has not been fetched"));
        BackupJob seen = fresh.apply(new BackupEvent.HostKeySeen("www", KEY, T0));
        assertThat(BackupDecisions.whyNoTrustedKey(seen)).get().asString().contains(KEY.fingerprint())
                .contains("not trusted");
        BackupJob changed = trustedJob().apply(new BackupEvent.HostKeyChanged("www", KEY.fingerprint(), T0));
        assertThat(BackupDecisions.whyNoTrustedKey(changed)).get().asString().contains("changed");
        assertThat(changed.hostKey().trustedKey()).isEmpty();
    }

    @Test
    void anAbsentAgentMissesTheRunOnceItsGraceIsOverAndItIsRecordedOnce() {
        BackupJob job = trustedJob();
        // Within the grace (36 min for 6 h) nothing is missed yet.
        assertThat(BackupDecisions.steps(job, hours(6.5), AWAY)).isEmpty();
        assertThat(BackupDecisions.nextWake(job, hours(6.59), TIMING)).isEqualTo(hours(6.6).plusMillis(1));
        assertThat(BackupDecisions.nextWake(job, hours(6.5), TIMING)).as("at least once a minute")
                .isEqualTo(hours(6.5).plusSeconds(60));
        List<BackupDecisions.Step> late = BackupDecisions.steps(job, hours(6.7), AWAY);
        assertThat(late).containsExactly(new BackupDecisions.Step.Missed(1, hours(6), hours(6),
                "the agent was not connected"));
        job = job.apply(new BackupEvent.RunsMissed("www", 1, hours(6), hours(6), "x", hours(6.7)));
        assertThat(BackupDecisions.steps(job, hours(7), AWAY)).as("recorded once").isEmpty();
        // The agent is back before the next due time: one catch-up run for the due time it missed.
        assertThat(BackupDecisions.steps(job, hours(8), CONNECTED))
                .containsExactly(new BackupDecisions.Step.Start(hours(6), true));
    }

    @Test
    void afterALongDowntimeTheJobCatchesUpOnceAndTheMissedDueTimesAreRecorded() {
        List<BackupDecisions.Step> steps = BackupDecisions.steps(trustedJob(), hours(31), CONNECTED);
        assertThat(steps).containsExactly(
                new BackupDecisions.Step.Missed(5, hours(6), hours(30),
                        "nothing could start it in time (the node was not running)"),
                new BackupDecisions.Step.Start(hours(30), true));
    }

    @Test
    void aRunStillRunningMakesTheNextDueTimeWaitThenMissIt() {
        BackupJob job = trustedJob().apply(new BackupEvent.RunStarted("www", "r1", "2026-12-01T060000Z",
                BackupEvent.Trigger.SCHEDULE, hours(6), null, hours(20), hours(6)));
        assertThat(BackupDecisions.steps(job, hours(12.1), CONNECTED)).as("waits within the grace").isEmpty();
        assertThat(BackupDecisions.steps(job, hours(12.7), CONNECTED)).containsExactly(
                new BackupDecisions.Step.Missed(1, hours(12), hours(12), "the previous run was still running"));
        // Without a timeout the lease is one period: no job is blocked longer by a run that never reports.
        assertThat(BackupDecisions.leaseUntil(job.settings(), hours(6))).isEqualTo(hours(12));
    }

    @Test
    void aRunWhoseLeaseEndsWithoutAResultIsLostAndTheJobGoesOn() {
        BackupJob job = trustedJob().apply(new BackupEvent.RunStarted("www", "r1", "2026-12-01T060000Z",
                BackupEvent.Trigger.SCHEDULE, hours(6), null, hours(12), hours(6)));
        List<BackupDecisions.Step> steps = BackupDecisions.steps(job, hours(12), CONNECTED);
        assertThat(steps.get(0)).isInstanceOfSatisfying(BackupDecisions.Step.Lost.class, lost ->
                assertThat(lost.runId()).isEqualTo("r1"));
        assertThat(steps.get(1)).isEqualTo(new BackupDecisions.Step.Start(hours(12), false));
    }

    @Test
    void aHeldLeaseKeepsTheRunUntilTheHoldEndsAndTheWakeComesThen() {
        BackupJob job = trustedJob().apply(new BackupEvent.RunStarted("www", "r1", "2026-12-01T060000Z",
                BackupEvent.Trigger.SCHEDULE, hours(6), null, hours(12), hours(6)));
        Instant heldUntil = hours(12).plus(BackupDecisions.LEASE_HOLD);
        BackupDecisions.Conditions held = new BackupDecisions.Conditions(true, false, TIMING, heldUntil);
        assertThat(BackupDecisions.steps(job, hours(12).plusSeconds(30), held)).as("neither lost nor started")
                .isEmpty();
        assertThat(BackupDecisions.nextWake(job, hours(12).plusSeconds(30), TIMING, heldUntil))
                .as("at the hold's end, not at once").isEqualTo(heldUntil);
        List<BackupDecisions.Step> steps = BackupDecisions.steps(job, heldUntil, held);
        assertThat(steps.get(0)).isInstanceOfSatisfying(BackupDecisions.Step.Lost.class, lost ->
                assertThat(lost.reason()).contains("held after this node stood still"));
        assertThat(steps.get(1)).isInstanceOf(BackupDecisions.Step.Start.class);
        // A hold that ended before the lease does not shorten it.
        assertThat(BackupDecisions.leaseEnds(job.running(), hours(7))).isEqualTo(hours(12));
    }

    @Test
    void statusFollowsTheNewestRunAndTheRecoveryPointsAge() {
        BackupJob job = trustedJob();
        assertThat(BackupDecisions.status(job, hours(1), TIMING)).isEqualTo(BackupsBody.Status.NEVER_RUN);
        job = job.apply(new BackupEvent.RunStarted("www", "r1", "s1", BackupEvent.Trigger.SCHEDULE, hours(6), null,
                hours(12), hours(6)));
        assertThat(BackupDecisions.status(job, hours(6.1), TIMING)).isEqualTo(BackupsBody.Status.RUNNING);
        job = job.apply(new BackupEvent.RunCompleted("www", "r1", false, "2026-12-01T060000Z", stats(100, 1000),
                List.of(), List.of(), List.of("2026-12-01T060000Z"), hours(6.2)));
        assertThat(BackupDecisions.status(job, hours(7), TIMING)).isEqualTo(BackupsBody.Status.OK);
        assertThat(BackupDecisions.status(job, hours(12.1), TIMING)).as("the next due time passed, no run yet")
                .isEqualTo(BackupsBody.Status.LATE);
        BackupJob failed = job.apply(new BackupEvent.RunStarted("www", "r2", "s2", BackupEvent.Trigger.MANUAL, null,
                "bob", hours(13), hours(7))).apply(new BackupEvent.RunFailed("www", "r2",
                BackupFailure.UNREACHABLE, "ssh: connect to host b port 22: Connection refused", List.of(),
                hours(7.1)));
        assertThat(BackupDecisions.status(failed, hours(7.2), TIMING)).isEqualTo(BackupsBody.Status.FAILED);
        assertThat(failed.lastGood().runId()).as("a failure keeps the recovery point").isEqualTo("r1");
    }

    @Test
    void theSeriesSayFailedMissedAgeAndHowMuchTheSnapshotShrank() {
        BackupJob job = trustedJob();
        for (int i = 1; i <= 2; i++) {
            long files = i == 1 ? 1000 : 600; // the second snapshot lost 40 % of its files
            job = job.apply(new BackupEvent.RunStarted("www", "r" + i, "s" + i, BackupEvent.Trigger.SCHEDULE,
                    hours(6 * i), null, hours(6 * i + 6), hours(6 * i)))
                    .apply(new BackupEvent.RunCompleted("www", "r" + i, false, "s" + i, stats(files, files * 10),
                            List.of(), List.of(), List.of(), hours(6 * i)));
        }
        Map<String, Double> series = BackupDecisions.series(book(job), hours(15));
        assertThat(series).containsEntry("backup.failed{job=www}", 0.0)
                .containsEntry("backup.missed{job=www}", 0.0)
                .containsEntry("backup.files{job=www}", 600.0)
                .containsEntry("backup.size.bytes{job=www}", 6000.0)
                .containsEntry("backup.age.seconds{job=www}", 3 * 3600.0)
                .containsEntry("backup.age.periods{job=www}", 0.5)
                .containsEntry("backup.shrink.percent{job=www}", 40.0);
        BackupJob missed = job.apply(new BackupEvent.RunsMissed("www", 1, hours(18), hours(18), "away", hours(19)));
        assertThat(BackupDecisions.series(book(missed), hours(19))).containsEntry("backup.missed{job=www}", 1.0);
        BackupJob off = new BackupJob(new BackupSettings(job.settings().name(), job.settings().spec(),
                job.settings().schedule(), job.settings().retention(), false, 24), job.createdAt(), "a",
                job.hostKey(), job.lastHandledDue(), null, null, null, null, List.of(), List.of(), null, List.of());
        assertThat(BackupDecisions.series(book(off), hours(19))).as("a job switched off says nothing").isEmpty();
    }

    @Test
    void aTestRestoreIsDueAfterItsIntervalOnceThereIsASnapshot() {
        BackupJob job = trustedJob();
        assertThat(BackupDecisions.verifyDue(job, hours(40))).as("nothing to verify yet").isFalse();
        job = job.apply(new BackupEvent.RunStarted("www", "r1", "s1", BackupEvent.Trigger.SCHEDULE, hours(6), null,
                hours(12), hours(6))).apply(new BackupEvent.RunCompleted("www", "r1", false, "s1", stats(1, 1),
                List.of(), List.of(), List.of("s1"), hours(6)));
        assertThat(BackupDecisions.verifyDue(job, hours(7))).as("a day after the job was created").isFalse();
        assertThat(BackupDecisions.verifyDue(job, hours(24))).isTrue();
        job = job.apply(new BackupEvent.Verified("www", "v1", true, null, null, "s1", 1, 0, List.of(), 100, hours(24)));
        assertThat(BackupDecisions.verifyDue(job, hours(47))).isFalse();
        assertThat(BackupDecisions.verifyDue(job, hours(48))).isTrue();
    }

    @Test
    void aLateResultReplacesTheLostRunInPlaceAndKeepsTheRecoveryPoint() {
        BackupJob job = trustedJob().apply(new BackupEvent.RunStarted("www", "r1", "s1",
                BackupEvent.Trigger.SCHEDULE, hours(6), null, hours(12), hours(6)))
                .apply(new BackupEvent.RunFailed("www", "r1", null, "lost", List.of(), hours(12)));
        assertThat(job.running()).isNull();
        job = job.apply(new BackupEvent.RunCompleted("www", "r1", false, "s1", stats(5, 50), List.of(), List.of(),
                List.of("s1"), hours(12.5)));
        assertThat(job.runs()).singleElement().satisfies(run ->
                assertThat(run.state()).isEqualTo(BackupJob.RunState.SUCCEEDED));
        assertThat(job.lastGood().snapshot()).isEqualTo("s1");
    }

    @Test
    void theRunListKeepsTheNewestTwenty() {
        BackupJob job = trustedJob();
        for (int i = 0; i < 25; i++) {
            job = job.apply(new BackupEvent.RunStarted("www", "r" + i, "s" + i, BackupEvent.Trigger.MANUAL, null,
                    "a", hours(100), hours(1)))
                    .apply(new BackupEvent.RunFailed("www", "r" + i, BackupFailure.UNREACHABLE, "x", List.of(),
                            hours(1)));
        }
        assertThat(job.runs()).hasSize(BackupJob.KEPT_RUNS);
        assertThat(job.runs().get(0).id()).isEqualTo("r24");
    }

    private static BackupBook book(BackupJob job) {
        return new BackupBook(Map.of(job.id(), job), AgentBackups.UNKNOWN);
    }

    private static RunStats stats(long files, long bytes) {
        return new RunStats(files, files, bytes, bytes, 1000, 0);
    }
}
