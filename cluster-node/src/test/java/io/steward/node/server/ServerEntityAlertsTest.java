package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.Comparison;
import io.steward.core.alerting.Scope;
import io.steward.core.alerting.Severity;
import io.steward.core.fleet.ServerId;
import io.steward.core.metrics.SeriesName;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.Reports;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each server entity owns its alerts: evaluated on every report, persisted as events, recovered after restart. */
class ServerEntityAlertsTest {
    /** A fresh id per test: an entity of an earlier test may still be running its timers on its own id. */
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final long INTERVAL = 100;
    private static final AlertRule CPU_CRITICAL = new AlertRule("cpu-critical", "CPU critical",
            SeriesName.of("cpu.percent"), Comparison.ABOVE, 90, 80, Duration.ZERO, Severity.CRITICAL,
            new Scope.Global(), true);
    private static final AlertRule CPU_WARNING_FOR_2S = new AlertRule("cpu-warning", "CPU busy",
            SeriesName.of("cpu.percent"), Comparison.ABOVE, 50, 50, Duration.ofSeconds(2), Severity.WARNING,
            new Scope.Global(), true);
    private static final AlertRule OFFLINE = new AlertRule("offline", "Server offline",
            SeriesName.of(AlertRule.SERVER_OFFLINE), Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.CRITICAL,
            new Scope.Global(), true);

    private static ActorTestKit kit;
    private final AtomicReference<List<AlertRule>> rules = new AtomicReference<>();
    private EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("ServerEntityAlertsTest", EventSourcedBehaviorTestKit.config()
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
        rules.set(List.of(CPU_CRITICAL, CPU_WARNING_FOR_2S, OFFLINE));
        RuleSource source = () -> RuleSource.Rules.of(rules.get());
        entity = EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(
                ServerId.of("web-1-alerts-" + IDS.incrementAndGet()),
                new ServerEntitySettings(3, 5, Duration.ofMillis(100)),
                ServerEntity.Collaborators.NONE.withRules(source)));
        entity.clear();
        entity.<StatusReply<Done>>runCommand(replyTo -> new LifecycleCommand.Attach("web-1", "machine-1", "0.1.0",
                null, replyTo));
    }

    private List<ServerEvent> report(int second, double cpu) {
        return entity.runCommand(new PresenceCommand.ReportReceived(second + 1,
                Reports.report("web-1", T.plusSeconds(second), cpu, INTERVAL))).events();
    }

    private static <E extends ServerEvent> List<E> only(List<ServerEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private ServerState.Active active() {
        return (ServerState.Active) entity.getState();
    }

    @Test
    void aBreachFiresOnceAndResolvesOnlyPastTheRecoveryValue() {
        report(0, 20);
        List<ServerEvent> breach = report(1, 95);
        AlertEvent.Fired fired = only(breach, AlertEvent.Fired.class).get(0);
        assertThat(fired.alert().ruleId()).isEqualTo("cpu-critical");
        assertThat(fired.alert().series()).isEqualTo("cpu.percent");
        assertThat(fired.alert().value()).isEqualTo(95.0);
        assertThat(fired.alert().condition()).isEqualTo("cpu.percent > 90");
        assertThat(fired.alert().since()).isEqualTo(T.plusSeconds(1));

        assertThat(only(report(2, 97), AlertEvent.Fired.class)).as("still firing: no news").isEmpty();
        assertThat(only(report(3, 85), AlertEvent.Resolved.class)).as("hysteresis: 85 > 80").isEmpty();
        List<AlertEvent.Resolved> resolved = only(report(4, 79), AlertEvent.Resolved.class);
        assertThat(resolved).singleElement().satisfies(event -> {
            assertThat(event.alert().ruleId()).isEqualTo("cpu-critical");
            assertThat(event.reason()).isEqualTo("recovered");
            assertThat(event.value()).isEqualTo(79.0);
        });
        assertThat(active().alerts().active().keySet()).doesNotContain(ActiveAlert.key("cpu-critical", "cpu.percent"));
    }

    @Test
    void aForDurationFiresOnlyAfterTheConditionHeldThatLong() {
        assertThat(only(report(0, 60), AlertEvent.Pending.class)).hasSize(1);
        assertThat(only(report(1, 60), AlertEvent.Fired.class)).isEmpty();
        assertThat(only(report(2, 60), AlertEvent.Fired.class)).singleElement()
                .satisfies(event -> assertThat(event.alert().severity()).isEqualTo(Severity.WARNING));

        assertThat(only(report(3, 10), AlertEvent.Resolved.class)).hasSize(1);

        // A dip before the end of "for" cancels the pending alert instead: nothing fires.
        assertThat(only(report(4, 60), AlertEvent.Pending.class)).hasSize(1);
        List<ServerEvent> dip = report(5, 40);
        assertThat(only(dip, AlertEvent.Cancelled.class)).hasSize(1);
        assertThat(only(report(6, 60), AlertEvent.Pending.class)).hasSize(1);
        assertThat(only(report(7, 60), AlertEvent.Fired.class)).as("for restarted at 6 s").isEmpty();
    }

    @Test
    void firingAlertsSurviveARestartAndAreNotFiredAgain() {
        report(0, 95);
        assertThat(active().alerts().active()).containsKey(ActiveAlert.key("cpu-critical", "cpu.percent"));

        entity.restart();
        assertThat(active().alerts().get(ActiveAlert.key("cpu-critical", "cpu.percent")).phase())
                .isEqualTo(ActiveAlert.Phase.FIRING);
        assertThat(only(report(1, 96), AlertEvent.Fired.class)).as("no second notification").isEmpty();
        assertThat(only(report(2, 10), AlertEvent.Resolved.class)).hasSize(1);
    }

    @Test
    void anAcknowledgementIsPersistedSurvivesARestartAndIsCarriedFromPendingToFiring() {
        report(0, 60); // the warning rule is pending ("for" 2 s)
        String key = ActiveAlert.key("cpu-warning", "cpu.percent");
        var result = entity.<StatusReply<ActiveAlert>>runCommand(replyTo ->
                new AlertCommand.Acknowledge(key, "alice", "  on it  ", replyTo));
        assertThat(result.event()).isInstanceOf(AlertEvent.Acknowledged.class);
        assertThat(result.reply().getValue().acknowledged().comment()).isEqualTo("on it");

        List<ServerEvent> fired = report(2, 60);
        assertThat(only(fired, AlertEvent.Fired.class)).singleElement().satisfies(event -> {
            assertThat(event.alert().acknowledged().by()).isEqualTo("alice");
            assertThat(event.subject().name()).isEqualTo("web-1");
        });
        entity.restart();
        assertThat(active().alerts().get(key).acknowledged().by()).isEqualTo("alice");

        var unknown = entity.<StatusReply<ActiveAlert>>runCommand(replyTo ->
                new AlertCommand.Acknowledge("nope", "alice", null, replyTo));
        assertThat(unknown.hasNoEvents()).isTrue();
        assertThat(unknown.reply().isError()).isTrue();
    }

    @Test
    void alertTransitionsAreTaggedForTheNotifierAndOtherEventsAreNot() {
        List<ServerEvent> events = report(0, 95);
        assertThat(events).isNotEmpty();
        AlertEvent.Fired fired = only(events, AlertEvent.Fired.class).get(0);
        var tags = ServerEntity.tagsOf(fired);
        assertThat(tags).containsExactly(ServerEntity.ALERT_TAG);
        assertThat(ServerEntity.tagsOf(new DetailsEvent.Renamed("x", "alice", T))).isEmpty();
        // Silences are history only: the notifier reads silence windows from their table, not the journal.
        assertThat(ServerEntity.tagsOf(new AlertEvent.Silenced("s1", T, "alice", null, T))).isEmpty();
        assertThat(ServerEntity.tagsOf(new AlertEvent.SilenceEnded("s1", "alice", T))).isEmpty();
        assertThat(ServerEntity.tagsOf(new LifecycleEvent.Deleted("alice", T))).containsExactly(ServerEntity.ALERT_TAG);
    }

    @Test
    void goingOfflineFiresTheOfflineAlertAndTheNextReportResolvesIt() {
        entity.runCommand(new PresenceCommand.ReportReceived(1, Reports.report("web-1", Instant.now(), 10, INTERVAL)));
        // Three missed 100 ms intervals: the entity's own timer takes it offline.
        ServerState.Active offline = awaitState(state -> !state.presence().online());
        ActiveAlert alert = offline.alerts().get(ActiveAlert.key("offline", AlertRule.SERVER_OFFLINE));
        assertThat(alert).isNotNull();
        assertThat(alert.phase()).isEqualTo(ActiveAlert.Phase.FIRING);

        List<ServerEvent> back = entity.runCommand(new PresenceCommand.ReportReceived(2,
                Reports.report("web-1", Instant.now(), 10, INTERVAL))).events();
        assertThat(only(back, PresenceEvent.CameOnline.class)).hasSize(1);
        assertThat(only(back, AlertEvent.Resolved.class)).singleElement()
                .satisfies(event -> assertThat(event.alert().ruleId()).isEqualTo("offline"));
    }

    @Test
    void removingTheRuleResolvesItsFiringAlert() {
        report(0, 95);
        rules.set(List.of(CPU_WARNING_FOR_2S, OFFLINE));
        List<AlertEvent.Resolved> resolved = only(report(1, 95), AlertEvent.Resolved.class);
        assertThat(resolved).singleElement().satisfies(event -> {
            assertThat(event.alert().ruleId()).isEqualTo("cpu-critical");
            assertThat(event.reason()).isEqualTo("rule no longer applies");
        });
    }

    @Test
    void aReplayedOldReportDoesNotTouchAlerts() {
        report(10, 20);
        List<ServerEvent> replayed = entity.runCommand(new PresenceCommand.ReportReceived(1,
                Reports.report("web-1", T.plusSeconds(1), 99, INTERVAL))).events();
        assertThat(only(replayed, AlertEvent.Fired.class)).isEmpty();
    }

    private ServerState.Active awaitState(java.util.function.Predicate<ServerState.Active> condition) {
        return Eventually.await(Duration.ofSeconds(10), "the entity's state to change", () -> {
            ServerState.Active state = active();
            return condition.test(state) ? state : null;
        });
    }
}
