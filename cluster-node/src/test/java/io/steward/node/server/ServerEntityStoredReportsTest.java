package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.fleet.ServerId;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reports reach the store before the entity hears of them, and that news can be held up (a shard being handed over
 * buffers it, an agent welcomed during a failover reports before its entity is back). Before a silence is called
 * offline the entity asks the store: a newer stored report than any it saw buys one more offline delay, and only a
 * report stored since the last such check buys another.
 */
class ServerEntityStoredReportsTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntityStoredReportsTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @Test
    void aSilenceWithNewerStoredReportsIsNotOfflineUntilTheStoreFallsSilentToo() {
        ManualClock clock = new ManualClock();
        Instant reported = clock.instant();
        AtomicReference<Instant> newestStored = new AtomicReference<>(reported);
        LastKnownValues store = serverId -> CompletableFuture.completedFuture(Optional.of(
                new ServerSummary.Headline(newestStored.get(), 1, 1, 1, 0, null)));
        // 3 missed intervals of 100 ms: the offline timer is due 300 ms after a report.
        EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of("late-news-1"),
                        new ServerEntitySettings(3, 5, Duration.ofMillis(100)),
                        ServerEntity.Collaborators.NONE.withClock(clock).withLastKnown(store)));
        TestProbe<AgentCommand> connection = kit.createTestProbe();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", connection.getRef(), replyTo)).reply().isSuccess()).isTrue();
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        subscriber.expectMessageClass(ServerUpdate.Changed.class);
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", reported, 1, 100)));
        subscriber.expectMessageClass(ServerUpdate.Reported.class);

        // The agent goes on reporting, but only the store hears it: the first check (at 300 ms) finds a newer report.
        newestStored.set(reported.plusMillis(200));
        subscriber.expectNoMessage(Duration.ofMillis(450));
        assertThat(entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply().getValue()
                .online()).as("its reports are being stored").isTrue();

        // Then the store falls silent too: the next check calls it offline.
        ServerUpdate.Changed offline = subscriber.expectMessageClass(ServerUpdate.Changed.class,
                Duration.ofSeconds(5));
        assertThat(offline.summary().online()).isFalse();
    }
}
