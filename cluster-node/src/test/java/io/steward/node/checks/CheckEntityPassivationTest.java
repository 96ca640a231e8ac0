package io.steward.node.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.checks.CheckDefinition;
import io.steward.node.alerting.RuleSource;
import io.steward.node.problem.Problem;
import io.steward.node.server.ClusterHealth;
import io.steward.node.testing.EntityTestKit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * With remember-entities on, an undefined or deleted check asks its shard to passivate it, so it is not started again
 * on every start of the cluster; a defined check never does.
 */
class CheckEntityPassivationTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Longer than the entity's own check of a fresh, still undefined start. */
    private static final Duration QUIET = Duration.ofMillis(1_800);
    private TestProbe<ClusterSharding.ShardCommand> shard;
    private EventSourcedBehaviorTestKit<CheckCommand, CheckEvent, CheckEntityState> entity;

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("CheckEntityPassivationTest");

    @BeforeEach
    void createEntity() {
        shard = kit.createTestProbe();
        entity = EventSourcedBehaviorTestKit.create(kit.system(), CheckEntity.create("site-" + IDS.incrementAndGet(),
                new CheckEntity.Collaborators(RuleSource.DEFAULTS, MaintenanceSource.NONE, CheckSeriesSink.NONE,
                        Clock.systemUTC(), ClusterHealth.SETTLED), shard.getRef()));
    }

    private void define() {
        CheckDefinition definition = new CheckDefinition.Http("Site", "http://127.0.0.1:1/", null, null, null, null,
                null, null, null, null, 1, null, null, null);
        assertThat(entity.<StatusReply<CheckView>>runCommand(replyTo -> new CheckCommand.Define(
                new CheckSpec(definition, "Public"), true, "admin", replyTo)).reply().isSuccess()).isTrue();
    }

    @Test
    void aRequestForAnUnknownCheckIsAnsweredThenTheEntityPassivates() {
        StatusReply<CheckView> reply = entity.<StatusReply<CheckView>>runCommand(CheckCommand.Get::new).reply();
        assertThat(((Problem) reply.getError()).code()).isEqualTo(Problem.Code.NOT_FOUND);
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void anUndefinedEntityStartedWithoutAnyCommandPassivatesByItself() {
        shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(5));
    }

    @Test
    void aDefinedCheckStaysRunning() {
        define();
        entity.runCommand(new CheckCommand.AssignVantages(List.of("a")));
        assertThat(entity.<StatusReply<CheckView>>runCommand(CheckCommand.Get::new).reply().isSuccess()).isTrue();
        shard.expectNoMessage(QUIET);
    }

    @Test
    void aDeletedCheckPassivatesAndSoDoesItsRememberedRestart() {
        define();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new CheckCommand.Delete("admin", replyTo))
                .reply().isSuccess()).isTrue();
        shard.expectMessageClass(ClusterSharding.Passivate.class);

        entity.restart();
        shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(5));
    }
}
