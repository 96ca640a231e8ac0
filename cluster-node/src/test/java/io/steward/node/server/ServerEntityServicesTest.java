package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.fleet.ServerId;
import io.steward.core.retry.OverdueTimers;
import io.steward.core.services.RecoveryPolicy;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.core.testing.ManualClock;
import io.steward.node.alerting.RuleSource;
import io.steward.node.testing.EntityTestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The restart policy each server entity owns, with a probe standing in for the agent's connection. */
class ServerEntityServicesTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Backoffs short enough for a quick test, long enough that a loaded machine cannot mistake one for "at once". */
    private static final RecoveryPolicy FAST = new RecoveryPolicy(3,
            List.of(Duration.ofMillis(1000), Duration.ofMillis(1200)), 2, Duration.ofHours(1));
    /** A first retry late enough that a restarted entity and its reattached agent are both there before it. */
    private static final RecoveryPolicy SLOW_FIRST_RETRY = new RecoveryPolicy(3,
            List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), 2, Duration.ofHours(1));

    private EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity;
    private TestProbe<AgentCommand> agent;
    /** The longest pause this process stood still for, as the entity's cluster health says (none by default). */
    private final StoodStillFor paused = new StoodStillFor();

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("ServerEntityServicesTest");

    @BeforeEach
    void create() {
        start(new ServerEntitySettings(3, 5, Duration.ofSeconds(1), FAST, Duration.ofSeconds(5)));
    }

    /** A new entity with these settings, its agent attached. */
    private void start(ServerEntitySettings settings) {
        start(settings, Clock.systemUTC());
    }

    private void start(ServerEntitySettings settings, Clock clock) {
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(
                ServerId.of("svc-" + IDS.incrementAndGet()), settings,
                ServerEntity.Collaborators.NONE.withRules(RuleSource.DEFAULTS).withClusterHealth(paused)
                        .withClock(clock)));
        agent = kit.createTestProbe();
        entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1", "0.1.0",
                agent.ref(), replyTo));
    }

    /** One service check; returns the service facts it caused (alert events are the alert tests' business). */
    private List<ServerEvent> check(ServiceState.Status status) {
        return check(ServiceState.Kind.PROCESS, status);
    }

    private List<ServerEvent> check(ServiceState.Kind kind, ServiceState.Status status) {
        ServiceState worker = new ServiceState("worker", kind, status, "test", null, null, null,
                null, null, null, true);
        return entity.runCommand(new ServiceCommand.ServicesReported(Instant.now(), List.of(worker), agent.ref()))
                .events().stream().filter(e -> e instanceof ServiceEvent).toList();
    }

    private ServiceBook.Recovery recovery() {
        return ((ServerState.Active) entity.getState()).services().recovery("worker");
    }

    private AgentCommand.RunServiceCommand expectRestart() {
        AgentCommand.RunServiceCommand command = (AgentCommand.RunServiceCommand) agent.receiveMessage(
                Duration.ofSeconds(3));
        assertThat(command.action()).isEqualTo(ServiceAction.RESTART);
        assertThat(command.service()).isEqualTo("worker");
        return command;
    }

    private void answer(AgentCommand.RunServiceCommand command, ServiceCommandOutcome.Result result) {
        command.replyTo().tell(new ServiceCommandOutcome(command.commandId(), result, "test", null));
    }

    /** Answers "done" and waits until the entity has read it (its clock reads then). */
    private void doneAndRead(AgentCommand.RunServiceCommand command) {
        answer(command, ServiceCommandOutcome.Result.DONE);
        entity.<StatusReply<ServicesView>>runCommand(ServiceCommand.GetServices::new);
    }

    @Test
    void aServiceThatGoesDownIsRestartedAtOnceAndRecordedAsRecovered() {
        check(ServiceState.Status.RUNNING);
        List<ServerEvent> down = check(ServiceState.Status.DOWN);
        assertThat(down).hasAtLeastOneElementOfType(ServiceEvent.WentDown.class)
                .hasAtLeastOneElementOfType(ServiceEvent.RestartAttempted.class);
        answer(expectRestart(), ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServiceEvent.Recovered.class, e -> assertThat(e.attempts()).isOne());
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IDLE);
        assertThat(recovery().restarts()).hasSize(1);
    }

    @Test
    void failedAttemptsBackOffThenTheEntityGivesUp() {
        check(ServiceState.Status.DOWN);
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED);
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED); // after the 1 s backoff
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED); // after 1.2 s
        agent.expectNoMessage(Duration.ofMillis(900));
        assertThat(entity.<StatusReply<ServicesView>>runCommand(ServiceCommand.GetServices::new).reply()
                .getValue().services().get(0).recovery().phase()).isEqualTo(ServiceBook.Phase.GAVE_UP);
    }

    /**
     * A restart falling due after this process stood still is not sent then: the agent's newer word may be unread.
     * It is looked at again 5 s later (the overdue timers' recheck): a service back by itself is left alone, one
     * still down is restarted.
     */
    @Test
    void aRestartDueAfterAFreezeWaitsForTheAgentsNewerWord() {
        check(ServiceState.Status.RUNNING);
        check(ServiceState.Status.DOWN);
        Instant failedAt = Instant.now();
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED); // attempt 2 due 1 s later
        paused.set(Duration.ofSeconds(10));
        agent.expectNoMessage(Duration.ofMillis(2500)); // fell due meanwhile, and was held
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.WAITING);
        // Pauses are counted from when the timer was armed (the failed attempt), not from when it fired (1 s later).
        assertThat(paused.lastAskedSince()).isBetween(failedAt, failedAt.plusMillis(900));
        paused.set(Duration.ZERO);
        AgentCommand.RunServiceCommand second = (AgentCommand.RunServiceCommand) agent.receiveMessage(
                Duration.ofSeconds(8)); // still down at the second look
        assertThat(second.action()).isEqualTo(ServiceAction.RESTART);
        answer(second, ServiceCommandOutcome.Result.FAILED); // attempt 3 due 1.2 s later

        paused.set(Duration.ofSeconds(10));
        agent.expectNoMessage(Duration.ofMillis(2500));
        // The agent's word the timer was ahead of: the service came back by itself.
        assertThat(check(ServiceState.Status.RUNNING)).hasAtLeastOneElementOfType(ServiceEvent.Recovered.class);
        paused.set(Duration.ZERO);
        // The second look, ~6.2 s after the failed attempt, finds nothing to restart (the window covers it with room).
        agent.expectNoMessage(Duration.ofSeconds(7));
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IDLE);
    }

    /**
     * A process that keeps pausing (or a pause watch that is stuck) delays a due restart at most the settle limit:
     * the rechecks keep the chain's start, so the limit is reached.
     */
    @Test
    void pausesThatNeverEndDelayARestartOnlyUpToTheSettleLimit() {
        start(new ServerEntitySettings(3, 5, Duration.ofSeconds(1), FAST, Duration.ofSeconds(5))
                .withOverdueTimers(new OverdueTimers(Duration.ofSeconds(3), Duration.ofMillis(300),
                        Duration.ofSeconds(2))));
        paused.set(Duration.ofSeconds(10)); // every look finds a 10 s pause
        check(ServiceState.Status.DOWN);
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED); // attempt 2 due 1 s later, then held
        agent.expectNoMessage(Duration.ofSeconds(2)); // held from ~1 s until the limit, ~2 s after that
        AgentCommand.RunServiceCommand second = (AgentCommand.RunServiceCommand) agent.receiveMessage(
                Duration.ofSeconds(6));
        assertThat(second.action()).isEqualTo(ServiceAction.RESTART);
    }

    /**
     * A restart the agent reported done must be confirmed by a check within the grace (5 s here). After this process
     * stood still, a "down" read past the grace may be the check the agent took right after acting, unread through
     * the pause: one more grace, once, for the checks after it.
     */
    @Test
    void aPauseAfterARestartGivesItsConfirmationOneMoreGraceOnce() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
        start(new ServerEntitySettings(3, 5, Duration.ofSeconds(1), FAST, Duration.ofSeconds(5)), clock);
        check(ServiceState.Status.DOWN);
        // Attempt 1, with a pause: held once, then a "down" past the second grace fails it.
        doneAndRead(expectRestart());
        Instant doneAt = clock.instant();
        paused.set(Duration.ofSeconds(90));
        clock.advance(Duration.ofSeconds(30));
        assertThat(check(ServiceState.Status.DOWN)).as("held: a newer check may be on its way").isEmpty();
        assertThat(paused.lastAskedSince()).as("pauses counted from the restart's done").isEqualTo(doneAt);
        clock.advance(Duration.ofSeconds(4));
        assertThat(check(ServiceState.Status.DOWN)).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(check(ServiceState.Status.DOWN)).singleElement().isInstanceOfSatisfying(
                ServiceEvent.RestartFailed.class, failed -> assertThat(failed.reason()).contains("still down"));

        // Attempt 2, without a pause: the first "down" past the grace fails it.
        paused.set(Duration.ZERO);
        clock.set(recovery().nextAttemptAt());
        doneAndRead(expectRestart());
        clock.advance(Duration.ofSeconds(30));
        assertThat(check(ServiceState.Status.DOWN)).singleElement().isInstanceOfSatisfying(
                ServiceEvent.RestartFailed.class, failed -> assertThat(failed.attempt()).isEqualTo(2));

        // Attempt 3, with a pause: the stale "down" is not counted and the next check confirms the restart.
        clock.set(recovery().nextAttemptAt());
        doneAndRead(expectRestart());
        paused.set(Duration.ofSeconds(90));
        clock.advance(Duration.ofSeconds(30));
        assertThat(check(ServiceState.Status.DOWN)).isEmpty();
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServiceEvent.Recovered.class, e -> assertThat(e.attempts()).isEqualTo(3));
    }

    /**
     * The entity's deadline for a command, firing as this process wakes from a pause, is put off once: the agent's
     * answer may be unread still. (The deadline is sent here by hand; its timer is the command timeout, 5 s.)
     */
    @Test
    void aCommandDeadlineAfterAPauseWaitsOnceMoreForTheAnswer() {
        Instant before = Instant.now();
        check(ServiceState.Status.DOWN);
        AgentCommand.RunServiceCommand first = expectRestart();
        Instant after = Instant.now();
        paused.set(Duration.ofSeconds(90));
        assertThat(expire(first).phase()).as("still waiting for the answer").isEqualTo(ServiceBook.Phase.IN_FLIGHT);
        assertThat(paused.lastAskedSince()).as("pauses counted from the command's sending").isBetween(before, after);
        ServiceBook.Recovery failed = expire(first);
        assertThat(failed.phase()).as("put off once only").isEqualTo(ServiceBook.Phase.WAITING);
        assertThat(failed.attempts()).isOne();
        assertThat(failed.lastResult()).contains("no answer from the agent within 10 s (").contains("put off once");

        paused.set(Duration.ZERO);
        AgentCommand.RunServiceCommand second = expectRestart(); // after the 1 s backoff
        assertThat(expire(second).phase()).as("no pause: the deadline stands").isEqualTo(ServiceBook.Phase.WAITING);
        assertThat(recovery().attempts()).isEqualTo(2);
        assertThat(recovery().lastResult()).contains("no answer from the agent within 5 s").doesNotContain("put off");

        AgentCommand.RunServiceCommand third = expectRestart(); // after 1.2 s
        paused.set(Duration.ofSeconds(90));
        assertThat(expire(third).phase()).isEqualTo(ServiceBook.Phase.IN_FLIGHT);
        answer(third, ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServiceEvent.Recovered.class, e -> assertThat(e.attempts()).isEqualTo(3));
    }

    /** The entity's deadline for {@code command} fires; returns the recovery once the entity has read what followed. */
    private ServiceBook.Recovery expire(AgentCommand.RunServiceCommand command) {
        entity.runCommand(new AgentChannel.CommandExpired(command.commandId()));
        // A deadline that stands answers through the entity's own mailbox, ahead of this request.
        entity.<StatusReply<ServicesView>>runCommand(ServiceCommand.GetServices::new);
        return recovery();
    }

    @Test
    void aRestartInFlightDuringANodeRestartIsNeitherLostNorSentTwice() {
        check(ServiceState.Status.DOWN);
        expectRestart(); // sent; the node dies before the answer
        entity.restart(); // the agent stays connected; its next check lets the new incarnation reach it
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IN_FLIGHT);
        List<ServerEvent> next = check(ServiceState.Status.DOWN);
        assertThat(next).singleElement().isInstanceOfSatisfying(ServiceEvent.RestartFailed.class,
                failed -> assertThat(failed.reason()).contains("node restarted"));
        agent.expectNoMessage(Duration.ofMillis(150)); // not re-sent at once...
        AgentCommand.RunServiceCommand second = expectRestart(); // ...but as attempt 2 after the backoff
        answer(second, ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOfSatisfying(ServiceEvent.Recovered.class, e -> assertThat(e.attempts()).isEqualTo(2));
    }

    /**
     * After a node restart or a failover, a restart that falls due is not sent on the old incarnation's word: the
     * service may have come back meanwhile. It waits for the agent's first check of it to this one: "running" ends
     * the recovery with no restart; "down" lets the attempt go at once.
     */
    @Test
    void aRestartDueAfterTheNodeRestartedWaitsForTheAgentsFirstCheck() {
        restartedWithAnAttemptDueIn3s(null);
        agent.expectNoMessage(Duration.ofSeconds(4)); // fell due meanwhile (3 s after the failure), and waits
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.WAITING);
        assertThat(check(ServiceState.Status.RUNNING)).singleElement()
                .isInstanceOf(ServiceEvent.Recovered.class);
        agent.expectNoMessage(Duration.ofMillis(5500)); // its next look finds nothing to do
    }

    @Test
    void aRestartDueAfterTheNodeRestartedGoesOnceTheFirstCheckSaysDown() {
        Instant due = restartedWithAnAttemptDueIn3s(null);
        agent.expectNoMessage(Duration.between(Instant.now(), due).plusMillis(500)); // due, and waiting
        // The same outage (no new "went down"); the attempt it brings forward may already be among these events.
        assertThat(check(ServiceState.Status.DOWN)).doesNotHaveAnyElementsOfTypes(ServiceEvent.WentDown.class,
                ServiceEvent.RestartFailed.class);
        // At once: sooner than its next look, 5 s after it fell due.
        Duration beforeTheNextLook = Duration.between(Instant.now(), due.plusSeconds(5)).minusMillis(500);
        assertThat(beforeTheNextLook).isGreaterThan(Duration.ofSeconds(1));
        AgentCommand.RunServiceCommand second = (AgentCommand.RunServiceCommand) agent.receiveMessage(
                beforeTheNextLook);
        assertThat(second.action()).isEqualTo(ServiceAction.RESTART);
        assertThat(recovery().attempts()).isEqualTo(2);
    }

    /** An agent that sends no checks (its service list emptied) still gets the restart once the wait ends. */
    @Test
    void theWaitForAFirstCheckEndsAtTheSettleLimit() {
        restartedWithAnAttemptDueIn3s(new ServerEntitySettings(3, 5, Duration.ofSeconds(1), SLOW_FIRST_RETRY,
                Duration.ofSeconds(5)).withOverdueTimers(new OverdueTimers(Duration.ofSeconds(3),
                        Duration.ofSeconds(5), Duration.ofSeconds(2))));
        agent.expectNoMessage(Duration.ofSeconds(4)); // due at 3 s, waits; its next look (5 s on) is past the limit
        AgentCommand.RunServiceCommand second = (AgentCommand.RunServiceCommand) agent.receiveMessage(
                Duration.ofSeconds(8));
        assertThat(second.action()).isEqualTo(ServiceAction.RESTART);
    }

    /**
     * A service down, its first restart failed (the next attempt due 3 s later), then the node restarts and the
     * agent reattaches, all before that attempt is due: so a restart sent by then would be one on the old word.
     */
    private Instant restartedWithAnAttemptDueIn3s(ServerEntitySettings settings) {
        start(settings != null ? settings
                : new ServerEntitySettings(3, 5, Duration.ofSeconds(1), SLOW_FIRST_RETRY, Duration.ofSeconds(5)));
        check(ServiceState.Status.DOWN);
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED);
        // Read before the restart: the test kit's stop could overtake the answer still in the mailbox.
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.WAITING);
        Instant due = recovery().nextAttemptAt();
        entity.restart();
        reconnect();
        assertThat(Instant.now()).as("reattached before the attempt was due").isBefore(due);
        return due;
    }

    /** Alice asks for {@code action} on the worker ({@code person} hears the outcome); the command the agent gets. */
    private AgentCommand.RunServiceCommand personAsks(ServiceAction action,
            TestProbe<StatusReply<ServiceCommandOutcome>> person) {
        entity.runCommand(new ServiceCommand.RunServiceAction("worker", action, 0, "alice", person.ref()));
        return (AgentCommand.RunServiceCommand) agent.receiveMessage();
    }

    /** The agent's connection attaches to the entity's new incarnation, as a reconnecting agent does. */
    private void reconnect() {
        entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1", "0.1.0",
                agent.ref(), replyTo));
    }

    @Test
    void aPersonsActionInFlightWhenTheNodeRestartsIsRecordedAsLost() {
        check(ServiceState.Status.RUNNING);
        assertThat(personAsks(ServiceAction.RESTART, kit.createTestProbe()).action()).isEqualTo(ServiceAction.RESTART);
        assertThat(((ServerState.Active) entity.getState()).services().actions()).hasSize(1);
        entity.restart(); // the answer will never come
        io.steward.core.testing.Eventually.eventually(Duration.ofSeconds(5), () ->
                assertThat(((ServerState.Active) entity.getState()).services().actions()).isEmpty());
    }

    /**
     * The connection relays a check the agent sent before answering a person's stop ahead of that answer (both along
     * the entity ref): its "running", read before the stop, does not end the hold, and the "down" after it restarts
     * nothing.
     */
    @Test
    void aRunningReadBeforeAPersonsStopAndRelayedBeforeItsAnswerKeepsTheHold() {
        check(ServiceState.Status.RUNNING);
        TestProbe<StatusReply<ServiceCommandOutcome>> person = kit.createTestProbe();
        AgentCommand.RunServiceCommand stop = personAsks(ServiceAction.STOP, person);
        assertThat(check(ServiceState.Status.RUNNING)).isEmpty();
        entity.runCommand(new ChannelCommand.CommandAnswered(new ServiceCommandOutcome(stop.commandId(),
                ServiceCommandOutcome.Result.DONE, "stopped", null)));
        assertThat(person.receiveMessage().getValue().result()).isEqualTo(ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Status.DOWN)).noneMatch(e -> e instanceof ServiceEvent.RestartAttempted);
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.HELD);
        agent.expectNoMessage(Duration.ofMillis(300));
    }

    /**
     * A connection's answer comes along the server's entity ref, the signal that it stopped straight from death watch:
     * an answer relayed just before the end may come second. It still counts; the person is not told "not connected".
     */
    @Test
    void anAnswerArrivingJustAfterItsConnectionEndedStillCounts() {
        check(ServiceState.Status.RUNNING);
        TestProbe<StatusReply<ServiceCommandOutcome>> person = kit.createTestProbe();
        AgentCommand.RunServiceCommand stop = personAsks(ServiceAction.STOP, person);
        entity.runCommand(new AgentChannel.ConnectionGone(agent.ref()));
        entity.runCommand(new ChannelCommand.CommandAnswered(new ServiceCommandOutcome(stop.commandId(),
                ServiceCommandOutcome.Result.DONE, "stopped", null)));
        assertThat(person.receiveMessage().getValue().result()).isEqualTo(ServiceCommandOutcome.Result.DONE);
        person.expectNoMessage(Duration.ofMillis(2500)); // past the wait for answers in flight: nothing more
    }

    @Test
    void aCommandItsEndedConnectionNeverAnsweredIsCalledNotConnected() {
        check(ServiceState.Status.RUNNING);
        TestProbe<StatusReply<ServiceCommandOutcome>> person = kit.createTestProbe();
        personAsks(ServiceAction.STOP, person);
        entity.runCommand(new AgentChannel.ConnectionGone(agent.ref()));
        person.expectNoMessage(Duration.ofSeconds(1)); // its answer, relayed just before the end, may still come
        StatusReply<ServiceCommandOutcome> reply = person.receiveMessage(Duration.ofSeconds(5));
        assertThat(reply.getValue().result()).isEqualTo(ServiceCommandOutcome.Result.NOT_CONNECTED);
    }

    /**
     * Once the agent's new connection is attached, a check its old one relayed late (buffered on a lost node) is
     * ignored: it is older than anything the new one sends. The attached connection's checks still count.
     */
    @Test
    void aCheckFromAReplacedConnectionIsIgnored() {
        check(ServiceState.Status.RUNNING);
        TestProbe<AgentCommand> old = kit.createTestProbe();
        ServiceState worker = new ServiceState("worker", ServiceState.Kind.PROCESS, ServiceState.Status.DOWN, "test",
                null, null, null, null, null, null, true);
        assertThat(entity.runCommand(new ServiceCommand.ServicesReported(Instant.now(), List.of(worker), old.ref()))
                .events()).isEmpty();
        assertThat(check(ServiceState.Status.DOWN)).hasAtLeastOneElementOfType(ServiceEvent.WentDown.class);
    }

    /**
     * A check its connection relayed just before it ended, arriving after the end, is ignored, and that dead
     * connection is not taken as the agent's: a person's action meanwhile is "not connected" at once.
     */
    @Test
    void aCheckFromAnEndedConnectionNeitherCountsNorReattachesIt() {
        check(ServiceState.Status.RUNNING);
        entity.runCommand(new AgentChannel.ConnectionGone(agent.ref()));
        assertThat(check(ServiceState.Status.DOWN)).isEmpty();
        TestProbe<StatusReply<ServiceCommandOutcome>> person = kit.createTestProbe();
        entity.runCommand(new ServiceCommand.RunServiceAction("worker", ServiceAction.START, 0, "alice",
                person.ref()));
        assertThat(person.receiveMessage().getValue().result()).isEqualTo(ServiceCommandOutcome.Result.NOT_CONNECTED);
        agent.expectNoMessage(Duration.ofMillis(200));
    }

    /**
     * The agent takes "worker.service" and "worker" for one systemd unit and reports it as "worker": a stop asked
     * under the unit's full name holds the name the checks use, so the next "down" starts no restart.
     */
    @Test
    void aStopAskedByTheUnitsFullNameHoldsTheNameTheChecksReport() {
        check(ServiceState.Kind.SYSTEMD, ServiceState.Status.RUNNING);
        TestProbe<StatusReply<ServiceCommandOutcome>> person = kit.createTestProbe();
        entity.runCommand(new ServiceCommand.RunServiceAction("worker.service", ServiceAction.STOP, 0, "alice",
                person.ref()));
        AgentCommand.RunServiceCommand stop = (AgentCommand.RunServiceCommand) agent.receiveMessage();
        assertThat(stop.service()).isEqualTo("worker");
        entity.runCommand(new ChannelCommand.CommandAnswered(new ServiceCommandOutcome(stop.commandId(),
                ServiceCommandOutcome.Result.DONE, "stopped", null)));
        assertThat(person.receiveMessage().getValue().result()).isEqualTo(ServiceCommandOutcome.Result.DONE);
        assertThat(check(ServiceState.Kind.SYSTEMD, ServiceState.Status.DOWN))
                .noneMatch(e -> e instanceof ServiceEvent.RestartAttempted);
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.HELD);
        agent.expectNoMessage(Duration.ofMillis(300));

        entity.<StatusReply<Done>>runCommand(replyTo -> new ServiceCommand.SetAutoRestart("worker.service", false,
                "alice", replyTo));
        assertThat(((ServerState.Active) entity.getState()).services().autoRestart("worker")).isFalse();
    }

    @Test
    void aFlappingServiceIsLeftDownAndAutoRestartCanBeSwitchedOff() {
        for (int i = 0; i < 2; i++) { // flap-restarts = 2 in this policy
            check(ServiceState.Status.DOWN);
            answer(expectRestart(), ServiceCommandOutcome.Result.DONE);
            check(ServiceState.Status.RUNNING);
        }
        assertThat(check(ServiceState.Status.DOWN)).hasAtLeastOneElementOfType(ServiceEvent.Flapping.class)
                .noneMatch(e -> e instanceof ServiceEvent.RestartAttempted);
        agent.expectNoMessage(Duration.ofMillis(200));

        check(ServiceState.Status.RUNNING);
        entity.<StatusReply<Done>>runCommand(replyTo -> new ServiceCommand.SetAutoRestart("worker", false, "alice",
                replyTo));
        assertThat(check(ServiceState.Status.DOWN)).noneMatch(e -> e instanceof ServiceEvent.RestartAttempted);
        agent.expectNoMessage(Duration.ofMillis(200));
    }

    /** Off ends a waiting recovery; back on, the next check that finds the service down starts the policy afresh. */
    @Test
    void autoRestartSwitchedOffAndOnAgainWhileAnAttemptWaitsStartsAfreshAtTheNextCheck() {
        start(new ServerEntitySettings(3, 5, Duration.ofSeconds(1), SLOW_FIRST_RETRY, Duration.ofSeconds(5)));
        check(ServiceState.Status.DOWN);
        answer(expectRestart(), ServiceCommandOutcome.Result.FAILED); // attempt 2 due 3 s later
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.WAITING);
        Instant due = recovery().nextAttemptAt();
        switchAutoRestart(false);
        assertThat(Instant.now()).as("switched off before the attempt was due").isBefore(due);
        agent.expectNoMessage(Duration.between(Instant.now(), due).plusMillis(500)); // due meanwhile: off, so nothing
        assertThat(recovery().phase()).isEqualTo(ServiceBook.Phase.IDLE);
        switchAutoRestart(true);
        assertThat(check(ServiceState.Status.DOWN)).hasAtLeastOneElementOfType(ServiceEvent.RestartAttempted.class);
        expectRestart();
        assertThat(recovery().attempts()).isOne();
    }

    private void switchAutoRestart(boolean enabled) {
        entity.<StatusReply<Done>>runCommand(replyTo -> new ServiceCommand.SetAutoRestart("worker", enabled, "alice",
                replyTo));
    }
}
