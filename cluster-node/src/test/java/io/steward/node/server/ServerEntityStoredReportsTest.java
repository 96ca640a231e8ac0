package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.fleet.ServerId;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import io.steward.node.testing.EntityTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reports reach the store before the entity hears of them, and that news can be held up (a shard being handed over
 * buffers it, an agent welcomed during a failover reports before its entity is back). Before a silence is called
 * offline the entity asks the store: a higher stored report sequence than any it heard of buys one more offline delay,
 * and only a report stored since the last such check buys another; a store that cannot answer buys nothing.
 */
class ServerEntityStoredReportsTest {

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("ServerEntityStoredReportsTest");

    /**
     * The agent's interval; three missed reports are offline. The timers are real, so every window below keeps a
     * margin of a few hundred milliseconds on both sides for a loaded machine.
     */
    private static final long INTERVAL_MILLIS = 600;
    private static final long OFFLINE_MILLIS = 3 * INTERVAL_MILLIS;

    @Test
    void aSilenceWithNewerStoredReportsIsNotOfflineUntilTheStoreFallsSilentToo() {
        AtomicLong newestStored = new AtomicLong(1);
        Entity entity = start("late-news-1", serverId -> CompletableFuture.completedFuture(newestStored.get()));

        // The agent goes on reporting, but only the store hears of it: the first check (at 1.8 s) finds sequence 3.
        newestStored.set(3);
        entity.subscriber.expectNoMessage(Duration.ofMillis(OFFLINE_MILLIS + 800));
        assertThat(entity.online()).as("its reports are being stored").isTrue();

        // Then the store falls silent too: the next check (1.8 s later) calls it offline.
        ServerUpdate.Changed offline = entity.subscriber.expectMessageClass(ServerUpdate.Changed.class,
                Duration.ofSeconds(5));
        assertThat(offline.summary().online()).isFalse();
    }

    @Test
    void aStoreThatCannotAnswerLeavesTheSilenceJudgedOnWhatTheEntityHeard() {
        Entity entity = start("store-down-1", serverId -> CompletableFuture.failedFuture(
                new java.sql.SQLException("connection refused")));

        ServerUpdate.Changed offline = entity.subscriber.expectMessageClass(ServerUpdate.Changed.class,
                Duration.ofSeconds(5));
        assertThat(offline.summary().online()).isFalse();
    }

    @Test
    void anAgentAttachingAgainDuringItsSilenceIsGivenOneDelayFromTheAttachOnce() {
        // A failover: the agent's connection ended with its node and the agent attached through another node; its
        // spooled reports follow its welcome. The store has nothing newer (sequence 1).
        Entity entity = start("re-homed-1", serverId -> CompletableFuture.completedFuture(1L));
        entity.subscriber.expectNoMessage(Duration.ofMillis(2 * INTERVAL_MILLIS));
        entity.clock.advance(Duration.ofMillis(2 * INTERVAL_MILLIS));
        entity.kit.runCommand(new AgentChannel.ConnectionGone(entity.connection.getRef()));
        TestProbe<AgentCommand> moved = kit.createTestProbe();
        assertThat(entity.kit.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", moved.getRef(), replyTo)).reply().isSuccess()).isTrue();

        // Without the attach it would be offline at 1.8 s (0.6 s after the attach); with it, not before 1.2 + 1.8 s.
        entity.subscriber.expectNoMessage(Duration.ofMillis(2 * INTERVAL_MILLIS));
        assertThat(entity.online()).as("its agent just attached").isTrue();

        // Attaching again buys nothing more: an agent that attaches and never reports still goes offline.
        entity.clock.advance(Duration.ofMillis(2 * INTERVAL_MILLIS));
        TestProbe<AgentCommand> again = kit.createTestProbe();
        entity.kit.runCommand(new AgentChannel.ConnectionGone(moved.getRef()));
        entity.kit.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1", "0.1.0",
                again.getRef(), replyTo));
        // Due 1.8 s after the first attach (0.6 s from here); a delay bought by this attach would be 1.8 s from here.
        ServerUpdate.Changed offline = entity.subscriber.expectMessageClass(ServerUpdate.Changed.class,
                Duration.ofMillis(2 * INTERVAL_MILLIS));
        assertThat(offline.summary().online()).isFalse();
    }

    /** An entity that heard report 1 of its agent (every 600 ms: offline after 1.8 s of silence), and its watcher. */
    private static Entity start(String id, StoredReports store) {
        ManualClock clock = new ManualClock();
        EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of(id),
                        new ServerEntitySettings(3, 5, Duration.ofMillis(100)),
                        ServerEntity.Collaborators.NONE.withClock(clock).withStored(store)));
        TestProbe<AgentCommand> connection = kit.createTestProbe();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", connection.getRef(), replyTo)).reply().isSuccess()).isTrue();
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        subscriber.expectMessageClass(ServerUpdate.Changed.class);
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", clock.instant(), 1,
                INTERVAL_MILLIS)));
        subscriber.expectMessageClass(ServerUpdate.Reported.class);
        return new Entity(entity, subscriber, clock, connection);
    }

    private record Entity(EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> kit,
            TestProbe<ServerUpdate> subscriber, ManualClock clock, TestProbe<AgentCommand> connection) {
        boolean online() {
            return kit.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply().getValue()
                    .online();
        }
    }
}
