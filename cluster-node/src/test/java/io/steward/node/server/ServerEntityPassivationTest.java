package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.fleet.ServerId;
import io.steward.core.testing.Reports;
import io.steward.node.problem.Problem;
import io.steward.node.testing.EntityTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With remember-entities on, every entity the shards start is started again on every start of the cluster, until it
 * passivates. An unknown server (a request for any well-formed id) and a deleted one ask their shard to passivate
 * them; a registered server never does.
 */
class ServerEntityPassivationTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Longer than the entity's own check of a fresh, still unknown start. */
    private static final Duration QUIET = Duration.ofMillis(1_800);
    private TestProbe<ClusterSharding.ShardCommand> shard;
    private TestProbe<AgentCommand> connection;
    private EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity;

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("ServerEntityPassivationTest");

    @BeforeEach
    void createEntity() {
        shard = kit.createTestProbe();
        connection = kit.createTestProbe();
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(
                ServerId.of("server-" + IDS.incrementAndGet()), new ServerEntitySettings(3, 5, Duration.ofSeconds(1)),
                ServerEntity.Collaborators.NONE, shard.getRef()));
    }

    private void attach() {
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", connection.getRef(), replyTo)).reply().isSuccess()).isTrue();
    }

    @Test
    void aRequestForAnUnknownIdIsAnsweredThenTheEntityPassivates() {
        StatusReply<ServerSummary> reply = entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new)
                .reply();
        assertThat(((Problem) reply.getError()).code()).isEqualTo(Problem.Code.NOT_FOUND);
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void aReportForAnUnknownIdPassivatesToo() {
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 1)));
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void anUnknownEntityStartedWithoutAnyCommandPassivatesByItself() {
        // As the shard starts a remembered entity after a restart of the cluster: no command comes.
        shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(5));
    }

    @Test
    void aRegisteredServerStaysRunning() {
        attach();
        assertThat(entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply().isSuccess())
                .isTrue();
        entity.runCommand(new LifecycleCommand.Wake());
        shard.expectNoMessage(QUIET);

        entity.restart();
        shard.expectNoMessage(QUIET);
    }

    @Test
    void aDeletedServerPassivatesAndSoDoesItsRememberedRestart() {
        attach();
        TestProbe<StatusReply<Done>> deleted = kit.createTestProbe();
        entity.runCommand(new LifecycleCommand.Delete("alice", deleted.getRef()));
        connection.expectMessageClass(AgentCommand.Revoke.class).drained().tell(Done.getInstance());
        assertThat(deleted.receiveMessage().isSuccess()).isTrue();
        shard.expectMessageClass(ClusterSharding.Passivate.class);

        entity.restart();
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }
}
