package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Reports;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerEntityTest {
    private static final String ID = "web-1-abc123";
    private static ActorTestKit kit;
    private EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity;
    private TestProbe<AgentCommand> connection;
    /** What the entity publishes to the fleet feed (the overview's read models listen there). */
    private TestProbe<ServerUpdate> fleet;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntityTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString("""
                        pekko.actor.serialize-messages = on
                        """)).withFallback(ConfigFactory.load()).resolve());
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void createEntity() {
        // Short interval x 3 missed reports = 1.5 s offline delay, so the offline test stays quick.
        ServerEntitySettings settings = new ServerEntitySettings(3, 5, Duration.ofMillis(100));
        LastKnownValues lastKnown = serverId -> CompletableFuture.completedFuture(Optional.of(
                new ServerSummary.Headline(Instant.parse("2026-11-22T09:00:00Z"), 11, 22, 33, 0.5, 3600L)));
        fleet = kit.createTestProbe();
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of(ID), settings,
                ServerEntity.Collaborators.NONE.withLastKnown(lastKnown).withFleet(fleet.getRef()::tell)));
        entity.clear();
        connection = kit.createTestProbe();
    }

    private void attach(String hostname, String agentVersion) {
        CommandResultWithReply<ServerCommand, ServerEvent, ServerState, StatusReply<Done>> result =
                entity.runCommand(replyTo -> new LifecycleCommand.Attach(hostname, "machine-1", agentVersion,
                        connection.getRef(), replyTo));
        assertThat(result.reply().isSuccess()).isTrue();
    }

    private ServerSummary summary() {
        return entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply().getValue();
    }

    @Test
    void firstAttachRegistersTheServer() {
        var result = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "machine-1",
                "0.1.0", connection.getRef(), replyTo));
        assertThat(result.event()).isInstanceOf(LifecycleEvent.Registered.class);
        assertThat(result.state()).isInstanceOf(ServerState.Active.class);
        assertThat(((ServerState.Active) result.state()).identity().hostname()).isEqualTo("web-1");
    }

    @Test
    void unknownServerAnswersWithAnError() {
        var reply = entity.<StatusReply<ServerSummary>>runCommand(LiveCommand.GetSummary::new).reply();
        assertThat(reply.isError()).isTrue();
        assertThat(reply.getError().getMessage()).contains("unknown server");
    }

    @Test
    void reattachRecordsAgentUpgradeAndHostnameChangeAsFacts() {
        attach("web-1", "0.1.0");
        var result = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1.example.com",
                "machine-1", "0.2.0", connection.getRef(), replyTo));
        assertThat(result.events()).hasSize(2);
        assertThat(result.events().get(0)).isEqualTo(new IdentityEvent.HostnameChanged("web-1", "web-1.example.com",
                ((IdentityEvent.HostnameChanged) result.events().get(0)).at()));
        assertThat(result.events().get(1)).isInstanceOf(IdentityEvent.AgentVersionChanged.class);
        // The same hello again is no news.
        var again = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1.example.com",
                "machine-1", "0.2.0", connection.getRef(), replyTo));
        assertThat(again.hasNoEvents()).isTrue();
    }

    @Test
    void firstReportBringsTheServerOnlineAndIsPushedToSubscribers() {
        attach("web-1", "0.1.0");
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        assertThat(subscriber.expectMessageClass(ServerUpdate.Changed.class).summary().online()).isFalse();

        MetricsReport report = Reports.report("web-1", Instant.now(), 42.0);
        var result = entity.runCommand(new PresenceCommand.ReportReceived(1, report));
        assertThat(result.events()).hasSize(2);
        assertThat(result.events().get(0)).isInstanceOf(PresenceEvent.CameOnline.class);
        assertThat(result.events().get(1)).isInstanceOf(IdentityEvent.SystemChanged.class);

        ServerUpdate.Reported pushed = subscriber.expectMessageClass(ServerUpdate.Reported.class);
        assertThat(pushed.summary().online()).isTrue();
        assertThat(pushed.summary().cpuPercent()).isEqualTo(42.0);
        assertThat(pushed.report()).isEqualTo(report);

        // A second report is not a fact worth persisting.
        var second = entity.runCommand(new PresenceCommand.ReportReceived(2,
                Reports.report("web-1", Instant.now(), 43)));
        assertThat(second.hasNoEvents()).isTrue();
        assertThat(subscriber.expectMessageClass(ServerUpdate.Reported.class).summary().cpuPercent()).isEqualTo(43.0);
    }

    @Test
    void reportsLostByTheAgentsSpoolBecomeAnAuditFact() {
        attach("web-1", "0.1.0");
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 5)));
        MetricsReport plain = Reports.report("web-1", Instant.now(), 6);
        MetricsReport afterOverflow = new MetricsReport(plain.collectedAt(), plain.intervalMillis(), plain.host(),
                plain.cpu(), plain.memory(), plain.filesystems(), plain.disks(), plain.interfaces(), plain.processes(),
                120);
        var result = entity.runCommand(new PresenceCommand.ReportReceived(2, afterOverflow));
        assertThat(result.events()).hasSize(1);
        assertThat(((PresenceEvent.ReportsDropped) result.events().get(0)).count()).isEqualTo(120);
    }

    @Test
    void aReplayedOlderReportDoesNotReplaceTheLatest() {
        attach("web-1", "0.1.0");
        Instant now = Instant.now();
        entity.runCommand(new PresenceCommand.ReportReceived(5, Reports.report("web-1", now, 50)));
        entity.runCommand(new PresenceCommand.ReportReceived(3, Reports.report("web-1", now.minusSeconds(60), 10)));
        assertThat(summary().cpuPercent()).isEqualTo(50.0);
    }

    @Test
    void silentServerGoesOfflineAfterMissedIntervalsAndComesBack() {
        attach("web-1", "0.1.0");
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        subscriber.expectMessageClass(ServerUpdate.Changed.class);
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 1, 500)));
        subscriber.expectMessageClass(ServerUpdate.Reported.class);

        // 3 missed intervals of 500 ms: the offline push must come, within a generous deadline.
        ServerUpdate.Changed offline = subscriber.expectMessageClass(ServerUpdate.Changed.class, Duration.ofSeconds(5));
        assertThat(offline.summary().online()).isFalse();
        assertThat(summary().online()).isFalse();

        var back = entity.runCommand(new PresenceCommand.ReportReceived(2,
                Reports.report("web-1", Instant.now(), 1, 500)));
        assertThat(back.events()).first().isInstanceOf(PresenceEvent.CameOnline.class);
    }

    @Test
    void detailsAreValidatedAndChangesPersistedAsSeparateFacts() {
        attach("web-1", "0.1.0");
        var bad = entity.<StatusReply<ServerSummary>>runCommand(replyTo -> new DetailsCommand.UpdateDetails(
                new DetailsCommand.Patch(Set.of(DetailsCommand.Field.TAGS), null, null,
                        List.of("ok", "not ok!"), null), "admin", replyTo));
        assertThat(bad.reply().isError()).isTrue();
        assertThat(bad.hasNoEvents()).isTrue();

        var good = entity.<StatusReply<ServerSummary>>runCommand(replyTo -> new DetailsCommand.UpdateDetails(
                new DetailsCommand.Patch(Set.of(DetailsCommand.Field.DISPLAY_NAME,
                        DetailsCommand.Field.GROUP, DetailsCommand.Field.TAGS), "Web front", "production",
                        List.of("eu", "web", "eu"), null), "admin", replyTo));
        assertThat(good.events()).hasSize(3);
        assertThat(good.reply().getValue().displayName()).isEqualTo("Web front");
        assertThat(good.reply().getValue().tags()).containsExactly("eu", "web");
        assertThat(((DetailsEvent.Renamed) good.events().get(0)).by()).isEqualTo("admin");
    }

    @Test
    void stateSurvivesARestartAndLastKnownValuesFillTheSummary() {
        attach("web-1", "0.1.0");
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 42.0)));
        entity.<StatusReply<ServerSummary>>runCommand(replyTo -> new DetailsCommand.UpdateDetails(
                new DetailsCommand.Patch(Set.of(DetailsCommand.Field.DISPLAY_NAME), "Web front", null, null,
                        null), "admin", replyTo));

        entity.restart();

        ServerState.Active state = (ServerState.Active) entity.getState();
        assertThat(state.details().displayName()).isEqualTo("Web front");
        assertThat(state.presence().online()).isTrue();
        assertThat(state.identity().system()).isNotNull();
        // The in-memory latest report is gone; the store's last known values (here 11 % CPU) stand in.
        ServerSummary summary = awaitSummary(s -> s.cpuPercent() != null);
        assertThat(summary.cpuPercent()).isEqualTo(11.0);
    }

    @Test
    void theStoredValuesLoadedAfterARestartArePushedToTheFleet() {
        attach("web-1", "0.1.0");
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 42.0)));

        entity.restart();

        // A read model that asked during the recovery got no values; the push after the load brings them (while
        // the server is still online: the offline timer's later push would bring them too, but minutes later).
        fleet.fishForMessage(Duration.ofSeconds(5), update ->
                update instanceof ServerUpdate.Changed changed && changed.summary().online()
                        && Double.valueOf(11.0).equals(changed.summary().cpuPercent())
                        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    @Test
    void deleteRevokesTheAgentAndForgetsTheServer() {
        attach("web-1", "0.1.0");
        TestProbe<ServerUpdate> subscriber = kit.createTestProbe();
        entity.runCommand(new LiveCommand.Subscribe(subscriber.getRef()));
        subscriber.expectMessageClass(ServerUpdate.Changed.class);

        TestProbe<StatusReply<Done>> deleted = kit.createTestProbe();
        var result = entity.runCommand(new LifecycleCommand.Delete("admin", deleted.getRef()));
        assertThat(result.event()).isInstanceOf(LifecycleEvent.Deleted.class);
        AgentCommand.Revoke revoke = connection.expectMessageClass(AgentCommand.Revoke.class);
        assertThat(revoke.reason()).contains("deleted");
        assertThat(subscriber.expectMessageClass(ServerUpdate.Removed.class).serverId()).isEqualTo(ID);
        // The deletion is answered (and the server's data deleted by its caller) only once the connection's reports
        // in flight are stored: one stored after the data's deletion would stay behind.
        deleted.expectNoMessage(Duration.ofMillis(300));
        revoke.drained().tell(Done.getInstance());
        assertThat(deleted.receiveMessage().isSuccess()).isTrue();

        var attachAgain = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1",
                "machine-1", "0.1.0", connection.getRef(), replyTo));
        assertThat(attachAgain.reply().isError()).isTrue();
        entity.restart();
        assertThat(entity.getState()).isInstanceOf(ServerState.Removed.class);
    }

    private ServerSummary awaitSummary(java.util.function.Predicate<ServerSummary> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ServerSummary summary = summary();
        while (!condition.test(summary) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            summary = summary();
        }
        return summary;
    }

    @Test
    void anAttachDeliveredLateDoesNotDisplaceTheAgentsNewerConnection() {
        // During a failover the agent's first attach sat in a sharding buffer; meanwhile it attached again through a
        // newer connection. The late one arrives last and must be refused, the newer connection kept.
        Instant opened = Instant.parse("2026-11-22T09:00:00Z");
        TestProbe<AgentCommand> newer = kit.createTestProbe();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "machine-1",
                "0.1.0", newer.getRef(), opened.plusSeconds(20), replyTo)).reply().isSuccess()).isTrue();

        StatusReply<Done> stale = entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1",
                "machine-1", "0.1.0", connection.getRef(), opened, replyTo)).reply();
        assertThat(stale.isError()).isTrue();
        assertThat(((Problem) stale.getError()).code()).isEqualTo(Problem.Code.CONFLICT);
        newer.expectNoMessage(Duration.ofMillis(200));
        var forwarded = entity.<StatusReply<Boolean>>runCommand(replyTo -> new ChannelCommand.Forward(
                new NodeMessage.ChecksRun(List.of("site-1")), replyTo));
        assertThat(forwarded.reply().getValue()).isTrue();
        assertThat(newer.expectMessageClass(AgentCommand.Send.class).frame()).isInstanceOf(NodeMessage.ChecksRun.class);
    }

    @Test
    void aNewerConnectionOfASilentAgentTakesOver() {
        Instant opened = Instant.parse("2026-11-22T09:00:00Z");
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "machine-1",
                "0.1.0", connection.getRef(), opened, replyTo)).reply().isSuccess()).isTrue();
        TestProbe<AgentCommand> newer = kit.createTestProbe();
        assertThat(entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "machine-1",
                "0.1.0", newer.getRef(), opened.plusSeconds(20), replyTo)).reply().isSuccess()).isTrue();
        assertThat(connection.expectMessageClass(AgentCommand.Disconnect.class).code())
                .isEqualTo(ErrorCode.CREDENTIAL_IN_USE);
    }
}
