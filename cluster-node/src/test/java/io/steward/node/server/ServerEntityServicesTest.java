package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.services.RecoveryPolicy;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.node.alerting.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The restart policy each server entity owns, with a probe standing in for the agent's connection. */
class ServerEntityServicesTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final RecoveryPolicy FAST = new RecoveryPolicy(3,
            List.of(Duration.ofMillis(300), Duration.ofMillis(600)), 2, Duration.ofHours(1));

    private static ActorTestKit kit;
    private EventSourcedBehaviorTestKit<ServerEntity.Command, ServerEntity.Event, ServerEntity.State> entity;
    private TestProbe<ServerEntity.AgentCommand> agent;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntityServicesTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString("""
                        pekko.actor.serialization-bindings { "io.steward.node.serialization.CborSerializable" = jackson-cbor }
                        pekko.serialization.jackson.jackson-modules += "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule"
                        """)).withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void create() {
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(
                "svc-" + IDS.incrementAndGet(), new ServerEntitySettings(3, 5, Duration.ofSeconds(1), FAST,
                        Duration.ofSeconds(5)), LastKnownValues.NONE, FleetFeed.NONE, RuleSource.DEFAULTS));
        agent = kit.createTestProbe();
        entity.<StatusReply<Done>>runCommand(replyTo -> new ServerEntity.Attach("web-1", "m-1", "0.1.0", agent.ref(),
                replyTo));
    }

    /** One service check; returns the service facts it caused (alert events are the alert tests' business). */
    private List<ServerEntity.Event> check(ServiceState.Status status) {
        return entity.runCommand(new ServerEntity.ServicesReported(Instant.now(), List.of(new ServiceState("worker",
                ServiceState.Kind.PROCESS, status, "test", null, null, null, null, null, null, true)), agent.ref())).events()
                .stream().filter(e -> e.getClass().getSimpleName().startsWith("Service")).toList();
    }

    private ServiceBook.Recovery recovery() {
        return ((ServerEntity.Active) entity.getState()).services().recovery("worker");
    }

    private ServerEntity.RunServiceCommand expectRestart() {
        ServerEntity.RunServiceCommand command = (ServerEntity.RunServiceCommand) agent.receiveMessage(
                Duration.ofSeconds(3));
        assertThat(command.action()).isEqualTo(ServiceAction.RESTART);
        assertThat(command.service()).isEqualTo("worker");
        return command;
    }

    private void answer(ServerEntity.RunServiceCommand command, ServerEntity.ServiceCommandOutcome.Result result) {
        command.replyTo().tell(new ServerEntity.ServiceCommandOutcome(command.commandId(), result, "test", null));
    }

    @Test
    void aServiceThatGoesDownIsRestartedAtOnceAndRecordedAsRecovered() {
        check(ServiceState.Status.RUNNING);
        List<ServerEntity.Event> down = check(ServiceState.Status.DOWN);
        assertThat(down).hasAtLeastOneElementOfType(ServerEntity.ServiceWentDown.class)
                .hasAtLeastOneElementOfType(ServerEntity.ServiceRestartAttempted.class);
        answer(expectRestart(), ServerEntity.ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServerEntity.ServiceRecovered.class, e -> assertThat(e.attempts()).isOne());
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IDLE);
        assertThat(recovery().restarts()).hasSize(1);
    }

    @Test
    void failedAttemptsBackOffThenTheEntityGivesUp() {
        check(ServiceState.Status.DOWN);
        answer(expectRestart(), ServerEntity.ServiceCommandOutcome.Result.FAILED);
        answer(expectRestart(), ServerEntity.ServiceCommandOutcome.Result.FAILED); // after the 300 ms backoff
        answer(expectRestart(), ServerEntity.ServiceCommandOutcome.Result.FAILED); // after 600 ms
        agent.expectNoMessage(Duration.ofMillis(900));
        assertThat(entity.<StatusReply<ServerEntity.ServicesView>>runCommand(ServerEntity.GetServices::new).reply()
                .getValue().services().get(0).recovery().phase()).isEqualTo(ServiceBook.Phase.GAVE_UP);
    }

    @Test
    void aRestartInFlightDuringANodeRestartIsNeitherLostNorSentTwice() {
        check(ServiceState.Status.DOWN);
        expectRestart(); // sent; the node dies before the answer
        entity.restart(); // the agent stays connected; its next check lets the new incarnation reach it
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IN_FLIGHT);
        List<ServerEntity.Event> next = check(ServiceState.Status.DOWN);
        assertThat(next).singleElement().isInstanceOfSatisfying(ServerEntity.ServiceRestartFailed.class,
                failed -> assertThat(failed.reason()).contains("node restarted"));
        agent.expectNoMessage(Duration.ofMillis(150)); // not re-sent at once...
        ServerEntity.RunServiceCommand second = expectRestart(); // ...but as attempt 2 after the backoff
        answer(second, ServerEntity.ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServerEntity.ServiceRecovered.class, e -> assertThat(e.attempts()).isEqualTo(2));
    }

    @Test
    void aPersonsActionInFlightWhenTheNodeRestartsIsRecordedAsLost() {
        check(ServiceState.Status.RUNNING);
        TestProbe<StatusReply<ServerEntity.ServiceCommandOutcome>> person = kit.createTestProbe();
        entity.runCommand(new ServerEntity.RunServiceAction("worker", ServiceAction.RESTART, 0, "alice",
                person.ref()));
        assertThat(((ServerEntity.RunServiceCommand) agent.receiveMessage()).action()).isEqualTo(ServiceAction.RESTART);
        assertThat(((ServerEntity.Active) entity.getState()).services().actions()).hasSize(1);
        entity.restart(); // the answer will never come
        io.steward.core.testing.Eventually.eventually(Duration.ofSeconds(5), () ->
                assertThat(((ServerEntity.Active) entity.getState()).services().actions()).isEmpty());
    }

    @Test
    void aFlappingServiceIsLeftDownAndAutoRestartCanBeSwitchedOff() {
        for (int i = 0; i < 2; i++) { // flap-restarts = 2 in this policy
            check(ServiceState.Status.DOWN);
            answer(expectRestart(), ServerEntity.ServiceCommandOutcome.Result.DONE);
            check(ServiceState.Status.RUNNING);
        }
        assertThat(check(ServiceState.Status.DOWN)).hasAtLeastOneElementOfType(ServerEntity.ServiceFlapping.class)
                .noneMatch(e -> e instanceof ServerEntity.ServiceRestartAttempted);
        agent.expectNoMessage(Duration.ofMillis(200));

        check(ServiceState.Status.RUNNING);
        entity.<StatusReply<Done>>runCommand(replyTo -> new ServerEntity.SetAutoRestart("worker", false, "alice",
                replyTo));
        assertThat(check(ServiceState.Status.DOWN)).noneMatch(e -> e instanceof ServerEntity.ServiceRestartAttempted);
        agent.expectNoMessage(Duration.ofMillis(200));
    }
}
