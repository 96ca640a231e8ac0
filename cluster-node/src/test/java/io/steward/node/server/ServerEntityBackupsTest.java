package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.RunStats;
import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import io.steward.node.alerting.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The entity owns each job's schedule: with a probe as the agent's connection and a manual clock, runs start when
 * due and once, results are stored and acknowledged (again, when sent again), missed due times are recorded and
 * alerted while the agent is away, a lost run is given up at its lease, and all of it survives {@code restart()}.
 */
class ServerEntityBackupsTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final HostKey KEY =
            HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
    private static ActorTestKit kit;

    private final ManualClock clock = new ManualClock(T0);
    /** The longest pause this process stood still for, as the entity's cluster health says (none by default). */
    private final StoodStillFor paused = new StoodStillFor();
    private EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity;
    private TestProbe<AgentCommand> agent;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntityBackupsTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
                .withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void createEntity() {
        agent = kit.createTestProbe();
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(
                ServerId.of("web-backups-" + IDS.incrementAndGet()),
                new ServerEntitySettings(3, 5, Duration.ofSeconds(1)),
                ServerEntity.Collaborators.NONE.withRules(RuleSource.DEFAULTS).withClock(clock)
                        .withClusterHealth(paused)));
        entity.clear();
    }

    private void attach(boolean connected) {
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "m-1",
                "0.1.0", connected ? agent.getRef() : null, replyTo)).reply().isSuccess()).isTrue();
    }

    private BackupJob job() {
        return ((ServerState.Active) entity.getState()).backups().job("www");
    }

    /** A job every 6 h from T0 whose host key the agent fetched and a person trusted. */
    private void trustedJob() {
        attach(true);
        var created = entity.<StatusReply<BackupsView>>runCommand(replyTo -> new BackupCommand.CreateJob(
                BackupSamples.everyHours("www", 6, T0), "alice", replyTo));
        assertThat(created.reply().isSuccess()).isTrue();
        assertThat(created.event()).isInstanceOf(BackupEvent.JobCreated.class);
        // A new job's host key is fetched by the agent at once.
        AgentCommand.Ask ask = agent.expectMessageClass(AgentCommand.Ask.class);
        assertThat(ask.frame()).isInstanceOfSatisfying(NodeMessage.FetchHostKey.class, fetch ->
                assertThat(fetch.destination()).isEqualTo(BackupSamples.DESTINATION));
        ask.replyTo().tell(StatusReply.success(new AgentMessage.HostKeyFetched(ask.commandId(), KEY, null, null)));
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(job().hostKey().seen()).isEqualTo(KEY));
        var wrong = entity.<StatusReply<BackupsView>>runCommand(replyTo -> new BackupCommand.TrustHostKey("www",
                "SHA256:not-it", "alice", replyTo));
        assertThat(wrong.reply().getError()).hasMessageContaining("not the destination's");
        var trusted = entity.<StatusReply<BackupsView>>runCommand(replyTo -> new BackupCommand.TrustHostKey("www",
                KEY.fingerprint(), "alice", replyTo));
        assertThat(trusted.event()).isInstanceOf(BackupEvent.HostKeyTrusted.class);
    }

    private List<ServerEvent> wake(Instant at) {
        clock.set(at);
        return entity.runCommand(new BackupHandler.Wake()).events();
    }

    private NodeMessage.BackupRun expectRun() {
        AgentCommand.Send sent = agent.expectMessageClass(AgentCommand.Send.class);
        assertThat(sent.frame()).isInstanceOf(NodeMessage.BackupRun.class);
        return (NodeMessage.BackupRun) sent.frame();
    }

    private void expectAck(String commandId) {
        AgentCommand.Send sent = agent.expectMessageClass(AgentCommand.Send.class);
        assertThat(sent.frame()).isEqualTo(new NodeMessage.BackupAck(commandId));
    }

    private List<ServerEvent> fromAgent(AgentMessage message) {
        return entity.runCommand(new BackupCommand.FromAgent(message, agent.getRef())).events();
    }

    /** The run's start-confirmation timer firing (its window ended without a word from the agent). */
    private List<ServerEvent> windowEnds(NodeMessage.BackupRun run) {
        return entity.runCommand(new BackupHandler.StartUnconfirmed(run.runId())).events();
    }

    /** The trusted job's run due at 6 h, sent and started by the agent. */
    private NodeMessage.BackupRun startedRun() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun run = expectRun();
        starting(run);
        return run;
    }

    /** The agent's first word on {@code run}: it has started. */
    private void starting(NodeMessage.BackupRun run) {
        fromAgent(new AgentMessage.BackupProgress(run.runId(), "www", BackupOperation.RUN, "starting", 0, 0, 0, null,
                0, 0));
    }

    private NodeMessage.BackupRun runNow() {
        var now = entity.<StatusReply<String>>runCommand(replyTo -> new BackupCommand.RunNow("www", "bob", replyTo));
        assertThat(now.reply().isSuccess()).isTrue();
        return expectRun();
    }

    private static AgentMessage.BackupRunResult succeeded(NodeMessage.BackupRun run, long files, Instant at) {
        return new AgentMessage.BackupRunResult(run.runId(), "www", BackupOutcome.SUCCEEDED, null, null,
                run.snapshot(), new RunStats(files, files, files * 100, files * 100, 2000, 0), List.of(), List.of(),
                List.of(), List.of(run.snapshot()), at, at.plusSeconds(2));
    }

    /** A run lost, or the next one started. */
    private static final Predicate<ServerEvent> RUN_FATE =
            event -> event instanceof BackupEvent.RunFailed || event instanceof BackupEvent.RunStarted;

    private static Instant hours(double h) {
        return T0.plusSeconds((long) (h * 3600));
    }

    @Test
    void aDueRunIsSentOnceAndItsResultIsStoredAndAcknowledgedEvenWhenSentAgain() {
        trustedJob();
        assertThat(wake(hours(5.9))).isEmpty();
        List<ServerEvent> due = wake(hours(6));
        assertThat(due).singleElement().isInstanceOfSatisfying(BackupEvent.RunStarted.class, started -> {
            assertThat(started.dueFor()).isEqualTo(hours(6));
            assertThat(started.trigger()).isEqualTo(BackupEvent.Trigger.SCHEDULE);
            assertThat(started.snapshot()).isEqualTo("2026-12-01T060000Z");
        });
        NodeMessage.BackupRun run = expectRun();
        assertThat(run.hostKey()).isEqualTo(KEY);
        assertThat(run.job().sources()).containsExactly("/srv/www");
        assertThat(wake(hours(6.01))).as("never twice for one due time").isEmpty();
        agent.expectNoMessage(Duration.ofMillis(100));

        assertThat(fromAgent(new AgentMessage.BackupProgress(run.runId(), "www", BackupOperation.RUN, "transferring",
                40, 4000, 1000, 6L, 4, 10))).as("progress is live only").isEmpty();
        List<ServerEvent> done = fromAgent(succeeded(run, 10, hours(6.1)));
        assertThat(done).hasAtLeastOneElementOfType(BackupEvent.RunCompleted.class);
        expectAck(run.runId());
        assertThat(job().lastGood().snapshot()).isEqualTo(run.snapshot());
        assertThat(job().snapshots()).containsExactly(run.snapshot());

        // The agent sends it again after a reconnect: acknowledged again, recorded once.
        assertThat(fromAgent(succeeded(run, 10, hours(6.1)))).isEmpty();
        expectAck(run.runId());
    }

    /**
     * A start the agent never confirms fails when its window ends. One this process stood still through (a suspended
     * VM: the agent's word may be unread, behind the timer that fired on waking) gets one more window, once: a word
     * in it still counts, and silence through it fails as any.
     */
    @Test
    void anUnconfirmedStartFailsWhenItsWindowEndsAndAFreezeGivesItOneMore() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun first = expectRun();
        assertThat(windowEnds(first)).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                BackupEvent.RunFailed.class, failed -> {
                    assertThat(failed.runId()).isEqualTo(first.runId());
                    assertThat(failed.reason()).contains("did not confirm the start");
                }));
        assertThat(job().running()).isNull();

        paused.set(Duration.ofSeconds(90));
        clock.set(hours(6.01));
        NodeMessage.BackupRun second = runNow();
        clock.set(hours(6.03));
        assertThat(windowEnds(second)).isEmpty();
        assertThat(paused.lastAskedSince()).as("pauses counted from the run's start").isEqualTo(hours(6.01));
        assertThat(job().running().id()).isEqualTo(second.runId());
        fromAgent(new AgentMessage.BackupProgress(second.runId(), "www", BackupOperation.RUN, "transfer", 10, 1000, 500,
                null, 1, 10));
        assertThat(windowEnds(second)).isEmpty(); // confirmed in the second window: nothing left to fail
        fromAgent(succeeded(second, 10, hours(6.1)));
        expectAck(second.runId());
        assertThat(job().running()).isNull();

        NodeMessage.BackupRun third = runNow();
        assertThat(windowEnds(third)).isEmpty();
        assertThat(windowEnds(third)).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                BackupEvent.RunFailed.class, failed -> {
                    assertThat(failed.runId()).isEqualTo(third.runId());
                    assertThat(failed.reason()).contains("within 120 s");
                }));
    }

    @Test
    void aFailedRunRaisesTheCriticalAlertAndTheNextGoodRunResolvesIt() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun run = expectRun();
        List<ServerEvent> failed = fromAgent(new AgentMessage.BackupRunResult(run.runId(), "www",
                BackupOutcome.FAILED, BackupFailure.AUTH_REFUSED, "stw@b: Permission denied (publickey).", null,
                null, null, List.of("stw@b: Permission denied (publickey)."), null, null, hours(6), hours(6)));
        assertThat(failed).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(AlertEvent.Fired.class,
                fired -> assertThat(fired.alert().ruleId()).isEqualTo("default-backup-failed")));
        expectAck(run.runId());
        // The agent's metric reports do not speak for backup series: the alert stays firing.
        List<ServerEvent> afterReport = entity.runCommand(new PresenceCommand.ReportReceived(1,
                Reports.report("web-1", hours(6.01), 10, 1000))).events();
        assertThat(afterReport).noneMatch(event -> event instanceof AlertEvent.Resolved);
        assertThat(((ServerState.Active) entity.getState()).alerts().active().values())
                .anySatisfy(alert -> assertThat(alert.ruleId()).isEqualTo("default-backup-failed"));

        var now = entity.<StatusReply<String>>runCommand(replyTo -> new BackupCommand.RunNow("www", "bob", replyTo));
        assertThat(now.reply().isSuccess()).isTrue();
        NodeMessage.BackupRun second = expectRun();
        assertThat(second.runId()).isEqualTo(now.reply().getValue());
        var busy = entity.<StatusReply<String>>runCommand(replyTo -> new BackupCommand.RunNow("www", "bob", replyTo));
        assertThat(busy.reply().getError()).hasMessageContaining("in progress");
        List<ServerEvent> good = fromAgent(succeeded(second, 10, hours(6.2)));
        assertThat(good).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(AlertEvent.Resolved.class,
                resolved -> assertThat(resolved.alert().ruleId()).isEqualTo("default-backup-failed")));
    }

    @Test
    void anAbsentAgentsDueTimeIsMissedAndAlertedThenCaughtUpOnceWhenItIsBack() {
        trustedJob();
        entity.runCommand(new AgentChannel.ConnectionGone(agent.getRef()));
        assertThat(wake(hours(6.5))).as("within the grace").isEmpty();
        List<ServerEvent> missed = wake(hours(6.7));
        assertThat(missed).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(BackupEvent.RunsMissed.class,
                m -> assertThat(m.reason()).isEqualTo("the agent was not connected")));
        assertThat(missed).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(AlertEvent.Fired.class,
                fired -> assertThat(fired.alert().ruleId()).isEqualTo("default-backup-missed")));
        assertThat(wake(hours(7))).as("recorded once").isEmpty();

        // Back, on a new connection: the frame that says so (after every welcome) brings one catch-up run.
        agent = kit.createTestProbe();
        attach(true);
        List<ServerEvent> info = fromAgent(new AgentMessage.BackupInfo(true, "ssh-ed25519 AAAA k", List.of("/srv"),
                List.of("backup.example.com"), "3.2.7"));
        assertThat(info.get(0)).isInstanceOf(BackupEvent.AgentBackupsChanged.class);
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(job().running()).isNotNull());
        assertThat(job().running().trigger()).isEqualTo(BackupEvent.Trigger.CATCH_UP);
        assertThat(job().running().dueFor()).isEqualTo(hours(6));
        expectRun();
        assertThat(BackupDecisions.series(((ServerState.Active) entity.getState()).backups(), hours(7)))
                .as("a run started: no longer missed").containsEntry("backup.missed{job=www}", 0.0);
    }

    @Test
    void aRestartBetweenDueTimesNeitherLosesNorRepeatsARun() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun run = expectRun();
        fromAgent(succeeded(run, 10, hours(6.1)));
        expectAck(run.runId());

        entity.restart();
        clock.set(hours(12));
        attach(true);
        fromAgent(new AgentMessage.BackupInfo(true, "ssh-ed25519 AAAA k", List.of("/srv"), List.of(), "3.2.7"));
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(job().running()).isNotNull());
        assertThat(job().running().dueFor()).isEqualTo(hours(12));
        assertThat(wake(hours(12.1))).isEmpty();
        // A run in flight across a restart is not sent again: its result is still to come.
        entity.restart();
        assertThat(wake(hours(12.2))).isEmpty();
        assertThat(job().running()).isNotNull();
    }

    @Test
    void aRunWithoutAResultIsLostAtItsLeaseAndALateResultStillCounts() {
        NodeMessage.BackupRun run = startedRun();
        List<ServerEvent> lost = wake(hours(12));
        assertThat(lost).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(BackupEvent.RunFailed.class,
                failed -> assertThat(failed.reason()).contains("lease")));
        // The lost run no longer blocks the job: the due time at 12 h starts its own run.
        assertThat(lost).hasAtLeastOneElementOfType(BackupEvent.RunStarted.class);
        expectRun();
        List<ServerEvent> late = fromAgent(succeeded(run, 10, hours(12.05)));
        assertThat(late).hasAtLeastOneElementOfType(BackupEvent.RunCompleted.class);
        expectAck(run.runId());
        assertThat(job().lastGood().runId()).isEqualTo(run.runId());
    }

    @Test
    void aLeaseFoundEndedAfterTheNodeStoodStillIsHeldOnceForTheResult() {
        NodeMessage.BackupRun run = startedRun();
        paused.set(Duration.ofSeconds(90));
        assertThat(wake(hours(12))).as("held: neither lost nor followed by the next run").noneMatch(RUN_FATE);
        assertThat(paused.lastAskedSince()).as("pauses counted from the run's start").isEqualTo(hours(6));
        assertThat(wake(hours(12).plusSeconds(59))).as("still held").noneMatch(RUN_FATE);
        assertThat(job().running().id()).isEqualTo(run.runId());
        List<ServerEvent> result = fromAgent(succeeded(run, 10, hours(12)));
        assertThat(result).hasAtLeastOneElementOfType(BackupEvent.RunCompleted.class);
        expectAck(run.runId());

        // Held once: the next run, without a result, is lost when its lease and then its hold have ended.
        NodeMessage.BackupRun next = expectRun(); // the 12 h due time, which waited for the run
        starting(next);
        Instant nextLease = job().running().leaseUntil();
        assertThat(wake(nextLease)).noneMatch(RUN_FATE);
        assertThat(wake(nextLease.plusSeconds(30))).noneMatch(RUN_FATE);
        List<ServerEvent> lost = wake(nextLease.plus(BackupDecisions.LEASE_HOLD));
        assertThat(lost).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(BackupEvent.RunFailed.class,
                failed -> {
                    assertThat(failed.runId()).isEqualTo(next.runId());
                    assertThat(failed.reason()).contains("held after this node stood still");
                }));
    }

    @Test
    void aChangedHostKeyStopsRunsAndAlertsUntilAPersonTrustsTheNewOne() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun run = expectRun();
        List<ServerEvent> changed = fromAgent(new AgentMessage.BackupRunResult(run.runId(), "www",
                BackupOutcome.FAILED, BackupFailure.HOST_KEY_CHANGED, "Host key verification failed.", null, null,
                null, null, null, null, hours(6), hours(6)));
        assertThat(changed).hasAtLeastOneElementOfType(BackupEvent.HostKeyChanged.class);
        assertThat(changed).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(AlertEvent.Fired.class,
                fired -> assertThat(fired.alert().ruleId()).isEqualTo("default-backup-host-key")));
        expectAck(run.runId());
        var refused = entity.<StatusReply<String>>runCommand(replyTo -> new BackupCommand.RunNow("www", "bob",
                replyTo));
        assertThat(refused.reply().getError()).hasMessageContaining("host key changed");
        // The new key is fetched for a person to compare.
        wake(hours(6.1));
        AgentCommand.Ask ask = agent.expectMessageClass(AgentCommand.Ask.class);
        HostKey rotated =
                HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDAAUCqf9cTSw+uCXNqRtAi10iFIHDy8y7gDZdm6gxzl");
        ask.replyTo().tell(StatusReply.success(new AgentMessage.HostKeyFetched(ask.commandId(), rotated, null,
                null)));
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(job().hostKey().seen()).isEqualTo(rotated));
        assertThat(job().hostKey().changed()).as("still changed until a person trusts the new key").isTrue();
        var trusted = entity.<StatusReply<BackupsView>>runCommand(replyTo -> new BackupCommand.TrustHostKey("www",
                rotated.fingerprint(), "alice", replyTo));
        assertThat(trusted.events()).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                AlertEvent.Resolved.class, resolved ->
                        assertThat(resolved.alert().ruleId()).isEqualTo("default-backup-host-key")));
    }

    @Test
    void theAgentsRefusalIsRecordedAndAFrameNeverSentWithoutAConnection() {
        trustedJob();
        wake(hours(6));
        NodeMessage.BackupRun run = expectRun();
        List<ServerEvent> refused = fromAgent(new AgentMessage.BackupRunResult(run.runId(), "www",
                BackupOutcome.REFUSED, BackupFailure.NOT_ALLOWED, "/srv/www is not in allowSources [/home]", null,
                null, null, null, null, null, hours(6), hours(6)));
        assertThat(refused).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(BackupEvent.RunRefused.class,
                r -> assertThat(r.reason()).contains("allowSources")));
        expectAck(run.runId());
        entity.runCommand(new AgentChannel.ConnectionGone(agent.getRef()));
        var away = entity.<StatusReply<String>>runCommand(replyTo -> new BackupCommand.RunNow("www", "bob",
                replyTo));
        assertThat(away.reply().getError()).hasMessageContaining("not connected");
        agent.expectNoMessage(Duration.ofMillis(100));
    }
}
