package io.steward.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.services.ServiceAction;
import io.steward.node.server.AgentCommand;
import io.steward.node.server.ServiceCommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A connection's bookkeeping of the service commands it sent: a deadline put off once (after this process stood
 * still) still lets the agent's answer through, and a command is answered exactly once.
 */
class EntityRequestsTest {
    private static final ActorTestKit kit = ActorTestKit.create("EntityRequestsTest");
    private static final Instant SENT = Instant.parse("2026-12-05T10:00:00Z");

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static AgentCommand.RunServiceCommand restart(String id, TestProbe<ServiceCommandOutcome> entity) {
        return new AgentCommand.RunServiceCommand(id, "worker", ServiceAction.RESTART, 0, Duration.ofSeconds(45),
                entity.ref());
    }

    @Test
    void aDeadlineAfterAPauseIsPutOffOnceAndTheAgentsAnswerStillCounts() {
        TestProbe<ServiceCommandOutcome> entity = kit.createTestProbe();
        EntityRequests requests = new EntityRequests();
        requests.track(restart("c-1", entity), SENT);
        List<Instant> asked = new ArrayList<>();
        Predicate<Instant> stoodStill = since -> asked.add(since);

        assertThat(requests.putOffOnce("c-1", stoodStill)).as("waits its own timeout again")
                .contains(Duration.ofSeconds(45));
        assertThat(asked).as("pauses counted from the sending").containsExactly(SENT);
        assertThat(requests.putOffOnce("c-1", stoodStill)).as("put off once only").isEmpty();

        assertThat(requests.answer(new AgentMessage.CommandResult("c-1", true, false, "restarted", List.of())))
                .hasValueSatisfying(outcome -> {
                    assertThat(outcome.commandId()).isEqualTo("c-1");
                    assertThat(outcome.result()).isEqualTo(ServiceCommandOutcome.Result.DONE);
                });
        requests.commandTimedOut("c-1");
        entity.expectNoMessage(Duration.ofMillis(100)); // answered already
    }

    @Test
    void aPutOffDeadlineThatPassesAgainAnswersTimedOut() {
        TestProbe<ServiceCommandOutcome> entity = kit.createTestProbe();
        EntityRequests requests = new EntityRequests();
        requests.track(restart("c-3", entity), SENT);
        assertThat(requests.putOffOnce("c-3", since -> true)).isPresent();
        assertThat(requests.putOffOnce("c-3", since -> true)).as("the second deadline stands").isEmpty();
        requests.commandTimedOut("c-3");
        ServiceCommandOutcome outcome = entity.receiveMessage();
        assertThat(outcome.result()).isEqualTo(ServiceCommandOutcome.Result.TIMED_OUT);
        assertThat(outcome.message()).as("names the whole wait").startsWith("no answer from the agent within 90 s (")
                .contains("put off once");
        entity.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void withoutAPauseTheDeadlineStandsAndAnswersTimedOutOnce() {
        TestProbe<ServiceCommandOutcome> entity = kit.createTestProbe();
        EntityRequests requests = new EntityRequests();
        requests.track(restart("c-2", entity), SENT);
        assertThat(requests.putOffOnce("c-2", since -> false)).isEmpty();
        requests.commandTimedOut("c-2");
        ServiceCommandOutcome outcome = entity.receiveMessage();
        assertThat(outcome.result()).isEqualTo(ServiceCommandOutcome.Result.TIMED_OUT);
        assertThat(outcome.message()).isEqualTo("no answer from the agent within 45 s");
        assertThat(requests.putOffOnce("c-2", since -> true)).as("no longer awaited").isEmpty();
        assertThat(requests.answer(new AgentMessage.CommandResult("c-2", true, false, "late", List.of()))).isEmpty();
        entity.expectNoMessage(Duration.ofMillis(100));
    }
}
