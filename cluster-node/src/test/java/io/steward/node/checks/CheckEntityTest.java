package io.steward.node.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.checks.ProbeOutcome;
import io.steward.node.alerting.RuleSource;
import io.steward.node.server.AlertEvent;
import io.steward.node.server.ClusterHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A check's entity with Pekko's event-sourcing test kit, which also round-trips every command, event and state
 * through the node's serializers (CBOR): a check that went down keeps its state and firing alert across a restart,
 * and its next failure neither resolves nor fires again.
 */
class CheckEntityTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static ActorTestKit kit;
    private EventSourcedBehaviorTestKit<CheckCommand, CheckEvent, CheckEntityState> entity;
    private String id;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("CheckEntityTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
                .withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void createEntity() {
        create(ClusterHealth.SETTLED);
    }

    /** A check with two vantages, "a" and "b", retries 1, on a node whose pause watch is {@code cluster}. */
    private void create(ClusterHealth cluster) {
        id = "site-" + IDS.incrementAndGet();
        entity = EventSourcedBehaviorTestKit.create(kit.system(), CheckEntity.create(id,
                new CheckEntity.Collaborators(RuleSource.DEFAULTS, MaintenanceSource.NONE, CheckSeriesSink.NONE,
                        Clock.systemUTC(), cluster)));
        CheckDefinition definition = new CheckDefinition.Http("Site", "http://127.0.0.1:1/", null, null, null, null,
                null, null, null, null, 1, null, null, null);
        var defined = entity.<StatusReply<CheckView>>runCommand(replyTo -> new CheckCommand.Define(
                new CheckSpec(definition, "Public"), true, "admin", replyTo));
        assertThat(defined.reply().isSuccess()).isTrue();
        entity.runCommand(new CheckCommand.AssignVantages(List.of("a", "b")));
    }

    @Test
    void aDownCheckStaysDownAcrossARestartWithoutAlertingAgain() {
        assertThat(record(1)).as("one failure each is a retry").noneMatch(event ->
                event instanceof CheckEvent.StateChanged changed && changed.to() == CheckState.DOWN);
        List<CheckEvent> events = record(1);
        assertThat(events).anyMatch(event -> event instanceof CheckEvent.StateChanged changed
                && changed.to() == CheckState.DOWN);
        assertThat(events).anyMatch(event -> event instanceof CheckEvent.Alerted alerted
                && alerted.alert() instanceof AlertEvent.Fired);

        entity.restart();
        assertThat(entity.getState().state()).isEqualTo(CheckState.DOWN);
        assertThat(entity.getState().alerts().active()).hasSize(1);
        List<CheckEvent> after = entity.runCommand(new CheckCommand.Record("a", List.of(failure()), true)).events();
        assertThat(after).as("a failure after the restart changes nothing").isEmpty();
        var view = entity.<StatusReply<CheckView>>runCommand(CheckCommand.Get::new).reply().getValue();
        assertThat(view.state()).isEqualTo(CheckState.DOWN);
        assertThat(view.spec().group()).isEqualTo("Public");

        var deleted = entity.<StatusReply<Done>>runCommand(replyTo -> new CheckCommand.Delete("admin", replyTo));
        assertThat(deleted.events()).anyMatch(event -> event instanceof CheckEvent.Alerted alerted
                && alerted.alert() instanceof AlertEvent.Resolved resolved
                && resolved.reason().contains("check deleted"));
    }

    /**
     * Results that began 20 minutes ago, far past their staleness limit by the wall clock, still judge on a node whose
     * pause watch says it stood still for an hour of that: the entity asks how long it stood still since each began.
     */
    @Test
    void resultsStaleByTheWallClockStillJudgeWhenTheNodeStoodStillSinceTheyBegan() {
        Instant began = Instant.now().minus(Duration.ofMinutes(20));
        assertThat(record(2, began)).as("on a node that ran all along they abstain").noneMatch(event ->
                event instanceof CheckEvent.StateChanged changed && changed.to() == CheckState.DOWN);

        create(new ClusterHealth() {
            @Override
            public boolean settled() {
                return true;
            }

            @Override
            public Duration stoodStillWithin(Instant since) {
                return Duration.ofHours(1);
            }
        });
        assertThat(record(2, began)).anyMatch(event -> event instanceof CheckEvent.StateChanged changed
                && changed.to() == CheckState.DOWN);
    }

    /** Records {@code count} failures from each vantage; the events of the last. */
    private List<CheckEvent> record(int count) {
        return record(count, null);
    }

    /** As above, the results begun at {@code began} (now if null). */
    private List<CheckEvent> record(int count, Instant began) {
        List<CheckEvent> events = List.of();
        for (int i = 0; i < count; i++) {
            entity.runCommand(new CheckCommand.Record("a", List.of(failure(began)), true));
            events = entity.runCommand(new CheckCommand.Record("b", List.of(failure(began)), true)).events();
        }
        return events;
    }

    private CheckResult failure() {
        return failure(null);
    }

    private CheckResult failure(Instant began) {
        return new CheckResult(id, began == null ? Instant.now() : began, ProbeOutcome.DOWN,
                FailureReason.CONNECT_REFUSED, "refused", new PhaseTimings(0.1, null, null, null, 0.5), null,
                "127.0.0.1", null, List.of(), List.of());
    }
}
