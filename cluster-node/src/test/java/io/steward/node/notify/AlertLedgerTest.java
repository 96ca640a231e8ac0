package io.steward.node.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.alerting.Severity;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.auth.SecretBox;
import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.server.AlertEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's read side on a real H2 database: exactly once per offset, routing, reminders, poison events. */
class AlertLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dataDir;
    private Database database;
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private AlertLedger ledger;
    private Outbox outbox;
    private ChannelStore channels;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(DatabaseSettings.h2File(dataDir.toAbsolutePath()));
        database.migrate();
        ledger = new AlertLedger(database.dataSource(), clock, Duration.ofHours(1), id -> "http://x/servers/" + id);
        outbox = new Outbox(database.dataSource(), clock);
        channels = new ChannelStore(database.dataSource(), clock, SecretBox.of(new byte[32]));
        channels.create(new Channel("all", "All", ChannelKind.WEBHOOK, true, EnumSet.allOf(Severity.class),
                List.of(), List.of(), 2, Map.of("url", "http://x"), Map.of(), T0, T0, null));
        channels.create(new Channel("prod", "Prod only", ChannelKind.WEBHOOK, true, EnumSet.allOf(Severity.class),
                List.of("prod"), List.of(), null, Map.of("url", "http://x"), Map.of(), T0, T0, null));
        assertThat(ledger.storedOffset()).isZero();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ActiveAlert alert(String ruleId, ActiveAlert.Phase phase) {
        return new ActiveAlert(ruleId, "CPU hot", "cpu.percent", Severity.CRITICAL, phase, T0, 97, "cpu.percent > 90",
                null);
    }

    @Test
    void eachEventIsHandledOnceAndRoutedByGroup() throws Exception {
        AlertSubject staging = new AlertSubject("web-1", "staging", List.of());
        List<AlertLedger.Envelope> batch = List.of(
                new AlertLedger.Envelope(5, "srv-1", new AlertEvent.Fired(
                        alert("cpu", ActiveAlert.Phase.FIRING), staging, T0)));
        assertThat(ledger.apply(batch).outboxRows()).isEqualTo(1); // "all", not "prod"
        assertThat(ledger.apply(batch).outboxRows()).as("the same offset again").isZero();
        assertThat(ledger.storedOffset()).isEqualTo(5);
        assertThat(outbox.list(null, 10)).singleElement().satisfies(row -> {
            assertThat(row.channelId()).isEqualTo("all");
            assertThat(row.subject()).isEqualTo("[CRITICAL] CPU hot on web-1");
        });

        AlertLedger.Outcome resolved = ledger.apply(List.of(new AlertLedger.Envelope(9, "srv-1",
                new AlertEvent.Resolved(alert("cpu", ActiveAlert.Phase.FIRING), 20, "recovered", staging,
                        T0.plusSeconds(60)))));
        assertThat(resolved.outboxRows()).isEqualTo(1);
        assertThat(resolved.inbox()).extracting(item -> item.kind().wireName()).containsExactly("resolved");
        assertThat(new AlertReads(database.dataSource(), clock).history("web", null, 10)).singleElement()
                .satisfies(episode -> assertThat(episode.resolveReason()).isEqualTo("recovered"));
    }

    @Test
    void remindersGoOutEveryIntervalWhileTheAlertKeepsFiring() throws Exception {
        ledger.apply(List.of(new AlertLedger.Envelope(1, "srv-1", new AlertEvent.Fired(
                alert("cpu", ActiveAlert.Phase.FIRING), new AlertSubject("web-1", null, List.of()), T0))));
        assertThat(ledger.queueReminders()).as("too early").isZero();
        now.set(T0.plus(Duration.ofHours(2)).plusSeconds(1));
        assertThat(ledger.queueReminders()).isEqualTo(1);
        assertThat(ledger.queueReminders()).as("just reminded").isZero();
        assertThat(outbox.list(null, 10).get(0).kind()).isEqualTo("reminder");
        now.set(T0.plus(Duration.ofHours(4)).plusSeconds(2));
        assertThat(ledger.queueReminders()).isEqualTo(1);
    }

    @Test
    void anEventThatCannotBeStoredIsSkippedWithAWarningAndLaterEventsStillFlow() throws Exception {
        String longRule = "r".repeat(100); // longer than the rule id column
        AlertLedger.Outcome outcome = ledger.apply(List.of(
                new AlertLedger.Envelope(1, "srv-1", new AlertEvent.Fired(
                        alert(longRule, ActiveAlert.Phase.FIRING), null, T0)),
                new AlertLedger.Envelope(2, "srv-2", new AlertEvent.Fired(
                        alert("cpu", ActiveAlert.Phase.FIRING), null, T0))));
        assertThat(outcome.inbox()).extracting(item -> item.kind().wireName()).containsExactly("notifier-error", "firing");
        assertThat(outcome.outboxRows()).isEqualTo(1);
        assertThat(ledger.storedOffset()).isEqualTo(2);
    }

    @Test
    void pruningForgetsFinishedHistoryButNeverPendingWorkOrActiveAlerts() throws Exception {
        AlertSubject subject = new AlertSubject("web-1", null, List.of());
        ledger.apply(List.of(
                new AlertLedger.Envelope(1, "srv-1", new AlertEvent.Fired(alert("cpu", ActiveAlert.Phase.FIRING),
                        subject, T0)),
                new AlertLedger.Envelope(2, "srv-1", new AlertEvent.Resolved(
                        alert("cpu", ActiveAlert.Phase.FIRING), 10, "recovered", subject, T0.plusSeconds(60))),
                new AlertLedger.Envelope(3, "srv-2", new AlertEvent.Fired(alert("cpu", ActiveAlert.Phase.FIRING),
                        subject, T0))));
        long firstRow = outbox.list(null, 10).stream().mapToLong(Outbox.Delivery::id).min().orElseThrow();
        outbox.recordAttempt(firstRow, 1, true, null, 5, null); // srv-1's firing message: delivered

        now.set(T0.plus(Duration.ofDays(200)));
        assertThat(ledger.pruneOlderThan(now.get().minus(Duration.ofDays(90)))).isPositive();
        assertThat(outbox.list(null, 10)).extracting(Outbox.Delivery::state).containsOnly("pending");
        assertThat(outbox.list(null, 10)).hasSize(2); // srv-1's resolved and srv-2's firing still wait
        AlertReads reads = new AlertReads(database.dataSource(), clock);
        assertThat(reads.active()).extracting(AlertReads.Episode::serverId).containsExactly("srv-2");
        assertThat(reads.inbox("anyone", 50).items()).isEmpty();
    }

    @Test
    void staleTransitionsAreRecordedButNotSent() throws Exception {
        now.set(T0.plus(Duration.ofHours(3)));
        AlertLedger.Outcome outcome = ledger.apply(List.of(new AlertLedger.Envelope(1, "srv-1",
                new AlertEvent.Fired(alert("cpu", ActiveAlert.Phase.FIRING), null, T0))));
        assertThat(outcome.outboxRows()).isZero();
        assertThat(new AlertReads(database.dataSource(), clock).active()).hasSize(1);
    }
}
