package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.fleet.ServerId;
import io.steward.core.testing.Reports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A long history recovers from a snapshot of the composed state, not by replaying every event. */
class ServerEntitySnapshotTest {
    private static final ServerId ID = ServerId.of("snap-1");
    private static ActorTestKit kit;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntitySnapshotTest", EventSourcedBehaviorTestKit.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @Test
    void theStateIsSnapshottedEveryFewEventsAndRecoversFromTheSnapshotAlone() {
        EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ID,
                        new ServerEntitySettings(3, 5, Duration.ofSeconds(1)).withSnapshots(4, 2),
                        ServerEntity.Collaborators.NONE));
        entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1", "0.1.0", null,
                replyTo));
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 10)));
        for (String name : List.of("Web", "Web front", "Front")) {
            entity.<StatusReply<ServerSummary>>runCommand(replyTo -> new DetailsCommand.UpdateDetails(
                    new DetailsCommand.Patch(Set.of(DetailsCommand.Field.DISPLAY_NAME, DetailsCommand.Field.TAGS),
                            name, null, List.of(name.toLowerCase().replace(' ', '-')), null), "alice", replyTo));
        }
        ServerState before = entity.getState();

        SnapshotTestKit snapshots = entity.snapshotTestKit().orElseThrow();
        String persistenceId = ServerEntity.persistenceId(ID).id();
        assertThat(snapshots.persistedInStorage(persistenceId)).as("snapshots after 9 events, every 4").hasSize(2);

        // Snapshots never cost history: every event is still stored (the audit history reads them).
        assertThat(entity.persistenceTestKit().persistedInStorage(persistenceId)).hasSize(9);

        // Without the events, only the snapshot (and what followed it) can give the state back.
        entity.persistenceTestKit().clearByPersistenceId(persistenceId);
        ServerState recovered = entity.restart().state();
        ServerState.Active active = (ServerState.Active) recovered;
        assertThat(active.details().displayName()).isEqualTo("Front");
        assertThat(active.identity()).isEqualTo(((ServerState.Active) before).identity());
        assertThat(active.presence().online()).isTrue();
    }
}
