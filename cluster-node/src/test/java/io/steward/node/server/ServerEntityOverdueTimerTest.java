package io.steward.node.server;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.fleet.ServerId;
import io.steward.core.retry.OverdueTimers;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import io.steward.node.testing.EntityTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node frozen longer than a server's offline delay (SIGSTOP, a GC pause) finds the offline timer long overdue when
 * it resumes: the entity waits a recheck before saying "went offline", so a node downed meanwhile stops first.
 */
class ServerEntityOverdueTimerTest {

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("ServerEntityOverdueTimerTest");

    @Test
    void anOfflineTimerFiringLongAfterItWasDueWaitsARecheckBeforeGoingOffline() {
        ManualClock clock = new ManualClock();
        // 3 missed intervals of 1 s: due 3 s after the report; an overdue one waits 2 s more.
        Reporting server = reportedOnce("frozen-1", clock, Duration.ofSeconds(2), ClusterHealth.SETTLED);

        // The node "resumes" 60 s later by its clock: the timer, due in 3 s, will find itself a minute late.
        clock.advance(Duration.ofSeconds(60));
        server.subscriber().expectNoMessage(Duration.ofMillis(4_000)); // the first firing, at ~3 s, rechecks
        assertThat(server.online()).as("not judged on the frozen timer").isTrue();

        // The recheck fires on time (the clock did not jump again): now the silence counts.
        server.expectOffline(Duration.ofSeconds(5));
    }

    @Test
    void afterAFreezeTheEntityDoesNotJudgeTheSilenceWhileItsNodeSeesTheClusterUnsettled() {
        ManualClock clock = new ManualClock();
        AtomicBoolean settled = new AtomicBoolean(false); // resumed, downed meanwhile, not yet told
        Reporting server = reportedOnce("frozen-2", clock, Duration.ofMillis(300), settled::get);

        clock.advance(Duration.ofSeconds(60));
        // The first firing (~3 s) and several rechecks after it (300 ms apart): none decides while unsettled.
        server.subscriber().expectNoMessage(Duration.ofMillis(5_000));
        assertThat(server.online()).as("a node that may have been downed does not call its servers offline")
                .isTrue();

        settled.set(true); // the cluster healed (this node was not downed after all): the silence counts
        server.expectOffline(Duration.ofSeconds(5));
    }

    @Test
    void aTimerFiringOnTimeWhoseNodeStoodStillMeanwhileWaitsLikeAnOverdueOne() {
        // ClusterFreezeIT, 2026-12-05: a node frozen right after a report resumed 2.6 s after the offline timer was
        // due, within the 3 s tolerance, and called three servers offline that had moved to the survivors.
        ManualClock clock = new ManualClock();
        AtomicBoolean settled = new AtomicBoolean(false); // resumed, downed meanwhile, not yet told
        StoodStill health = new StoodStill(settled);
        Reporting server = reportedOnce("frozen-3", clock, Duration.ofMillis(300), health, StoredReports.NONE);
        health.pauseBegan = clock.instant().plusMillis(1); // right after the report armed the timer
        clock.advance(Duration.ofMillis(1)); // the timer fires on time by this clock: only the pause says otherwise

        // The first firing (~3 s) and two rechecks after it have asked about pauses; none decided.
        eventually(Duration.ofSeconds(15), () -> assertThat(health.asked.get()).isGreaterThanOrEqualTo(3));
        server.subscriber().expectNoMessage(Duration.ofMillis(100));
        assertThat(server.online()).as("a node that stood still does not judge the silence it did not watch")
                .isTrue();

        settled.set(true); // not downed after all: the silence counts
        server.expectOffline(Duration.ofSeconds(5));
    }

    @Test
    void aFreezeWhileTheStoreIsAskedHoldsTheDecisionToo() {
        ManualClock clock = new ManualClock();
        AtomicBoolean settled = new AtomicBoolean(false);
        StoodStill health = new StoodStill(settled);
        CompletableFuture<Long> firstAnswer = new CompletableFuture<>();
        AtomicInteger questions = new AtomicInteger();
        StoredReports store = serverId -> questions.incrementAndGet() == 1 ? firstAnswer
                : CompletableFuture.completedFuture(0L);
        Reporting server = reportedOnce("frozen-4", clock, Duration.ofMillis(300), health, store);
        clock.advance(Duration.ofMillis(1));

        // The timer fired on time with no pause and asked the store; the node freezes before the answer.
        eventually(Duration.ofSeconds(10), () -> assertThat(questions.get()).isEqualTo(1));
        Instant asked = clock.instant();
        health.pauseBegan = asked.plusMillis(1);
        clock.advance(Duration.ofMillis(1));
        firstAnswer.complete(0L); // nothing newer stored: it would be called offline now

        // The answer was judged with the pauses since the question, and after it a recheck asked again.
        eventually(Duration.ofSeconds(10), () -> assertThat(health.sinces).contains(asked, clock.instant()));
        server.subscriber().expectNoMessage(Duration.ofMillis(100));
        assertThat(server.online()).as("the answer came across a freeze: judged only once the cluster is settled")
                .isTrue();
        settled.set(true);
        server.expectOffline(Duration.ofSeconds(5));
    }

    @Test
    void pausesThatNeverEndDelayTheDecisionOnlyUpToTheSettleLimit() {
        // A pause watch alive but stuck, or a process that keeps pausing: every question finds a 10 s pause. With a
        // settle limit of zero, the first recheck already ignores it: the timer's decision and then the store's
        // answer must both see that chain, or each answer would start a new one and the server never go offline.
        ManualClock clock = new ManualClock();
        ClusterHealth alwaysPaused = new StoodStillFor(Duration.ofSeconds(10));
        Reporting server = reportedOnce("frozen-5", clock, new OverdueTimers(Duration.ofSeconds(1),
                Duration.ofMillis(300), Duration.ZERO), alwaysPaused, StoredReports.NONE);
        server.expectOffline(Duration.ofSeconds(10));
    }

    /** A node that stood still for 10 s from {@code pauseBegan}: it counts for what was armed or asked before. */
    private static final class StoodStill implements ClusterHealth {
        private final AtomicBoolean settled;
        final AtomicInteger asked = new AtomicInteger();
        final List<Instant> sinces = new CopyOnWriteArrayList<>();
        volatile Instant pauseBegan = Instant.MAX;

        StoodStill(AtomicBoolean settled) {
            this.settled = settled;
        }

        @Override
        public boolean settled() {
            return settled.get();
        }

        @Override
        public Duration pausedSince(Instant since) {
            asked.incrementAndGet();
            sinces.add(since);
            return since.isBefore(pauseBegan) && pauseBegan != Instant.MAX ? Duration.ofSeconds(10) : Duration.ZERO;
        }
    }

    /** An entity (offline after 3 missed 1 s intervals, overdue beyond 1 s) with an agent that reported once. */
    private static Reporting reportedOnce(String id, ManualClock clock, Duration recheck, ClusterHealth health) {
        return reportedOnce(id, clock, recheck, health, StoredReports.NONE);
    }

    private static Reporting reportedOnce(String id, ManualClock clock, Duration recheck, ClusterHealth health,
            StoredReports store) {
        return reportedOnce(id, clock, new OverdueTimers(Duration.ofSeconds(1), recheck, Duration.ofSeconds(60)),
                health, store);
    }

    private static Reporting reportedOnce(String id, ManualClock clock, OverdueTimers overdueTimers,
            ClusterHealth health, StoredReports store) {
        ServerEntitySettings settings = new ServerEntitySettings(3, 5, Duration.ofMillis(100))
                .withOverdueTimers(overdueTimers);
        EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of(id), settings,
                        ServerEntity.Collaborators.NONE.withClock(clock).withClusterHealth(health)
                                .withStored(store)));
        TestProbe<AgentCommand> connection = kit.createTestProbe();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-" + id, "m-" + id,
                "0.1.0", connection.getRef(), replyTo)).reply().isSuccess()).isTrue();
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        subscriber.expectMessageClass(ServerUpdate.Changed.class);
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-" + id, clock.instant(), 1,
                1_000)));
        subscriber.expectMessageClass(ServerUpdate.Reported.class);
        return new Reporting(entity, subscriber);
    }

    private record Reporting(EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity,
            TestProbe<ServerUpdate> subscriber) {
        boolean online() {
            return entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply().getValue()
                    .online();
        }

        /** The next update, within {@code within}, says the server went offline. */
        void expectOffline(Duration within) {
            assertThat(subscriber.expectMessageClass(ServerUpdate.Changed.class, within).summary().online()).isFalse();
        }
    }
}
