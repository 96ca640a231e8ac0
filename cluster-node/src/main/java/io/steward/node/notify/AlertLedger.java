package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.core.alerting.DefaultRules;
import io.steward.core.alerting.Severity;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.SeverityName;
import io.steward.node.checks.CheckEvent;
import io.steward.node.database.Jdbc;
import io.steward.node.server.AlertEvent;
import io.steward.node.server.CredentialEvent;
import io.steward.node.server.LifecycleEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting read side, written from the server entities' tagged alert events: alert episodes (active alerts and
 * history), the outbox rows each transition owes the channels, and the in-app inbox. {@link #apply} handles a batch
 * of events and moves the stored offset in one transaction: each event's effects happen exactly once.
 */
public final class AlertLedger {
    private static final Logger log = LoggerFactory.getLogger(AlertLedger.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A message queued by a newer node (a rolling upgrade) may carry fields this one does not know.
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration maxEventAge;
    private final Function<String, String> serverLink;

    /**
     * One tagged event as the read journal delivered it: a server's event, or a check's alert transition or
     * certificate notice ({@code serverId} is then the check's subject, {@code check:<id>}).
     */
    public record Envelope(long offset, String serverId, Object event) {}

    /** What a committed batch produced: inbox lines to push, and whether the outbox has new rows. */
    public record Outcome(List<InboxItem> inbox, int outboxRows) {}

    /**
     * @param maxEventAge transitions older than this when first handled (a backlog after a long outage, an old
     *     database) are recorded but not sent: a notification about last week's alert helps nobody
     */
    public AlertLedger(DataSource dataSource, Clock clock, Duration maxEventAge, Function<String, String> serverLink) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxEventAge = requireNonNull(maxEventAge, "maxEventAge is null");
        this.serverLink = requireNonNull(serverLink, "serverLink is null");
    }

    /** The offset to resume from; creates the offset row on first use, so {@link #apply} can lock it. */
    public long storedOffset() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT offset_value FROM steward_offsets WHERE name = ?")) {
                select.setString(1, LedgerRows.OFFSET_NAME);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return rows.getLong(1);
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO steward_offsets (name, offset_value) VALUES (?, 0)")) {
                insert.setString(1, LedgerRows.OFFSET_NAME);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!Jdbc.isDataError(e)) {
                    throw e;
                } // another node created it first
            }
            return 0L;
        });
    }

    public Outcome apply(List<Envelope> batch) throws SQLException {
        if (batch.isEmpty()) {
            return new Outcome(List.of(), 0);
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            // Locking the offset row first serializes two notifiers during a singleton hand-over: the second waits,
            // then sees the first one's offset and skips what it already handled.
            long last = LedgerRows.lockOffset(connection);
            List<Channel> channels = ChannelStore.forRouting(connection);
            List<Silence> silences = LedgerRows.silences(connection, clock.instant().minus(maxEventAge));
            List<InboxItem> inbox = new ArrayList<>();
            int outboxRows = 0;
            for (Envelope envelope : batch) {
                if (envelope.offset() <= last) {
                    continue; // already handled (a restarted stream re-delivering)
                }
                Savepoint savepoint = connection.setSavepoint();
                try {
                    outboxRows += applyOne(connection, envelope, channels, silences, inbox);
                } catch (SQLException e) {
                    if (!Jdbc.isDataError(e)) {
                        throw e; // the database is away or busy: the stream restarts from the stored offset
                    }
                    // An event this code cannot record must not stop every later notification: skip it, loudly.
                    connection.rollback(savepoint);
                    log.error("Skipping alert event at offset [{}] of server [{}]: {}", envelope.offset(),
                            envelope.serverId(), e.getMessage());
                    long id = LedgerRows.insertInboxRow(connection, clock.millis(), envelope.serverId(), null,
                            SeverityName.WARNING, InboxItem.Kind.NOTIFIER_ERROR,
                            LedgerRows.clip("An alert event of server " + envelope.serverId()
                                    + " could not be recorded (see the node log): " + e.getMessage(), 1000));
                    inbox.add(new InboxItem(id, clock.instant(), envelope.serverId(), null, SeverityName.WARNING,
                            InboxItem.Kind.NOTIFIER_ERROR, "An alert event could not be recorded (see the node log)"));
                }
                last = envelope.offset();
            }
            LedgerRows.saveOffset(connection, last);
            return new Outcome(inbox, outboxRows);
        });
    }

    private int applyOne(Connection connection, Envelope envelope, List<Channel> channels, List<Silence> silences,
            List<InboxItem> inbox) throws SQLException {
        String serverId = envelope.serverId();
        Object event = envelope.event();
        if (event instanceof AlertEvent.Pending pending) {
            if (LedgerRows.activeEpisode(connection, serverId, pending.alert().key()).isEmpty()) {
                LedgerRows.insertEpisode(connection, serverId, name(pending.subject(), serverId), pending.alert(),
                        "PENDING");
            }
            return 0;
        }
        if (event instanceof AlertEvent.Cancelled cancelled) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM alert_episodes"
                    + " WHERE server_id = ? AND alert_key = ? AND phase = 'PENDING'")) {
                delete.setString(1, serverId);
                delete.setString(2, cancelled.alert().key());
                delete.executeUpdate();
            }
            return 0;
        }
        if (event instanceof AlertEvent.Fired fired) {
            return onFired(connection, serverId, fired, channels, silences, inbox);
        }
        if (event instanceof AlertEvent.Resolved resolved) {
            return onResolved(connection, serverId, resolved, channels, silences, inbox);
        }
        if (event instanceof AlertEvent.Acknowledged acknowledged) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE alert_episodes SET ack_by = ?,"
                    + " ack_at = ?, ack_comment = ? WHERE server_id = ? AND alert_key = ?"
                    + " AND phase IN ('PENDING', 'FIRING')")) {
                ActiveAlert.Acknowledgement ack = acknowledged.acknowledgement();
                update.setString(1, ack.by());
                update.setLong(2, ack.at().toEpochMilli());
                update.setString(3, ack.comment());
                update.setString(4, serverId);
                update.setString(5, acknowledged.key());
                update.executeUpdate();
            }
            return 0;
        }
        if (event instanceof CredentialEvent.ReEnrollmentRequested request) {
            String text = "Machine of server " + serverId + " enrolled again as " + request.hostname() + " from "
                    + request.remote() + (request.needsApproval()
                            ? ": its old credential is in use, an admin must approve or deny the new one"
                            : ": the old credential was replaced");
            long id = LedgerRows.insertInboxRow(connection, request.at().toEpochMilli(), serverId, null,
                    SeverityName.WARNING, InboxItem.Kind.RE_ENROLLMENT, text);
            inbox.add(new InboxItem(id, request.at(), serverId, null, SeverityName.WARNING,
                    InboxItem.Kind.RE_ENROLLMENT, text));
            return 0;
        }
        if (event instanceof CheckEvent.CertificateExpiring expiring) {
            return onCertificateExpiring(connection, serverId, expiring, channels, silences, inbox);
        }
        if (event instanceof LifecycleEvent.Deleted deleted) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM alert_episodes WHERE server_id = ? AND phase = 'PENDING'")) {
                delete.setString(1, serverId);
                delete.executeUpdate();
            }
            // Its firing alerts end with it; channels that were told "firing" are told why they ended.
            List<Long> firing = new ArrayList<>();
            List<Notification> messages = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, server_name, rule_name,"
                    + " alert_condition, series, severity, since_at, rule_id FROM alert_episodes"
                    + " WHERE server_id = ? AND phase = 'FIRING'")) {
                select.setString(1, serverId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        firing.add(rows.getLong(1));
                        messages.add(new Notification(Notification.Kind.RESOLVED,
                                Severity.valueOf(rows.getString(6)), serverId, rows.getString(2),
                                rows.getString(3) == null ? rows.getString(8) : rows.getString(3), rows.getString(4),
                                rows.getString(5), null, Instant.ofEpochMilli(rows.getLong(7)), deleted.at(),
                                "server deleted by " + deleted.by(), null));
                    }
                }
            }
            int rows = 0;
            for (int i = 0; i < firing.size(); i++) {
                long episode = firing.get(i);
                try (PreparedStatement resolve = connection.prepareStatement("UPDATE alert_episodes"
                        + " SET phase = 'RESOLVED', resolved_at = ?, resolve_reason = 'server deleted' WHERE id = ?")) {
                    resolve.setLong(1, deleted.at().toEpochMilli());
                    resolve.setLong(2, episode);
                    resolve.executeUpdate();
                }
                rows += queueResolved(connection, episode, channels, messages.get(i));
            }
            return rows;
        }
        return 0;
    }

    /**
     * A check's certificate reached one of its warning thresholds: an inbox line, and a notice to every channel that
     * takes the severity and group (critical from 3 days), unless the notice is old or the check silenced — once per
     * certificate and threshold.
     */
    private int onCertificateExpiring(Connection connection, String subject, CheckEvent.CertificateExpiring expiring,
            List<Channel> channels, List<Silence> silences, List<InboxItem> inbox) throws SQLException {
        Severity severity = expiring.threshold() <= 3 ? Severity.CRITICAL : Severity.WARNING;
        String name = LedgerRows.clip(expiring.check(), 255);
        String what = "Certificate expires in " + expiring.daysLeft() + (expiring.daysLeft() == 1 ? " day" : " days");
        Notification message = new Notification(Notification.Kind.NOTICE, severity, subject, name, what,
                "within " + expiring.threshold() + " days of expiry", DefaultRules.CERT_DAYS_LEFT + "{check="
                        + subject.substring(subject.indexOf(':') + 1) + "}", (double) expiring.daysLeft(), null,
                expiring.at(), null, serverLink.apply(subject));
        SeverityName severityName = SeverityName.of(severity);
        long id = LedgerRows.insertInboxRow(connection, expiring.at().toEpochMilli(), subject, name, severityName,
                InboxItem.Kind.CERTIFICATE_EXPIRING, message.subject());
        inbox.add(new InboxItem(id, expiring.at(), subject, name, severityName, InboxItem.Kind.CERTIFICATE_EXPIRING,
                message.subject()));
        if (isStale(expiring.at()) || silenced(silences, subject, "default-cert-expiring", expiring.at())) {
            return 0;
        }
        int rows = 0;
        for (Channel channel : channels) {
            if (channel.accepts(severity, expiring.group(), List.of())) {
                rows += Outbox.insert(connection, "cert:" + subject + ":" + expiring.fingerprint().substring(0,
                        Math.min(32, expiring.fingerprint().length())) + ":" + expiring.threshold() + ":"
                        + channel.id(), channel.id(), null, message, clock.millis());
            }
        }
        return rows;
    }

    private int onFired(Connection connection, String serverId, AlertEvent.Fired fired, List<Channel> channels,
            List<Silence> silences, List<InboxItem> inbox) throws SQLException {
        ActiveAlert alert = fired.alert();
        String serverName = name(fired.subject(), serverId);
        Optional<Long> existing = LedgerRows.activeEpisode(connection, serverId, alert.key());
        long episode = existing.isPresent()
                ? existing.get() : LedgerRows.insertEpisode(connection, serverId, serverName, alert, "FIRING");
        try (PreparedStatement update = connection.prepareStatement("UPDATE alert_episodes SET phase = 'FIRING',"
                + " server_name = ?, fired_at = ?, fired_value = ?, alert_value = ?, since_at = ? WHERE id = ?")) {
            update.setString(1, serverName);
            update.setLong(2, fired.at().toEpochMilli());
            update.setDouble(3, alert.value());
            update.setDouble(4, alert.value());
            update.setLong(5, alert.since().toEpochMilli());
            update.setLong(6, episode);
            update.executeUpdate();
        }
        Notification message = new Notification(Notification.Kind.FIRING, alert.severity(), serverId, serverName,
                ruleName(alert), alert.condition(), alert.series(), alert.value(), alert.since(), fired.at(), null,
                serverLink.apply(serverId));
        inbox.add(insertInbox(connection, fired.at(), serverId, serverName, alert.severity(), InboxItem.Kind.FIRING,
                message.subject()));
        if (isStale(fired.at()) || silenced(silences, serverId, alert.ruleId(), fired.at())) {
            return 0;
        }
        AlertSubject subject = fired.subject() == null ? new AlertSubject(serverId, null, List.of()) : fired.subject();
        int rows = 0;
        for (Channel channel : channels) {
            if (channel.accepts(alert.severity(), subject.group(), subject.tags())) {
                rows += Outbox.insert(connection, "fired:" + episode + ":" + channel.id(), channel.id(), episode,
                        message, clock.millis());
            }
        }
        return rows;
    }

    private int onResolved(Connection connection, String serverId, AlertEvent.Resolved resolved,
            List<Channel> channels, List<Silence> silences, List<InboxItem> inbox) throws SQLException {
        ActiveAlert alert = resolved.alert();
        Optional<Long> found = LedgerRows.activeEpisode(connection, serverId, alert.key());
        if (found.isEmpty()) {
            return 0;
        }
        long episode = found.get();
        try (PreparedStatement update = connection.prepareStatement("UPDATE alert_episodes SET phase = 'RESOLVED',"
                + " resolved_at = ?, resolved_value = ?, resolve_reason = ? WHERE id = ?")) {
            update.setLong(1, resolved.at().toEpochMilli());
            if (Double.isNaN(resolved.value())) {
                update.setNull(2, Types.DOUBLE);
            } else {
                update.setDouble(2, resolved.value());
            }
            update.setString(3, resolved.reason());
            update.setLong(4, episode);
            update.executeUpdate();
        }
        String serverName = name(resolved.subject(), serverId);
        Notification message = new Notification(Notification.Kind.RESOLVED, alert.severity(), serverId, serverName,
                ruleName(alert), alert.condition(), alert.series(), resolved.value(), alert.since(), resolved.at(),
                resolved.reason(), serverLink.apply(serverId));
        inbox.add(insertInbox(connection, resolved.at(), serverId, serverName, alert.severity(),
                InboxItem.Kind.RESOLVED, message.subject()));
        return queueResolved(connection, episode, channels, message);
    }

    /**
     * "Resolved" goes exactly where "firing" went — whatever silences or age say now: a channel that was told an
     * alert fired is always told it ended, and one that never heard of it is not.
     */
    private int queueResolved(Connection connection, long episode, List<Channel> channels, Notification message)
            throws SQLException {
        int rows = 0;
        for (Channel channel : channels) {
            if (Outbox.exists(connection, "fired:" + episode + ":" + channel.id())) {
                rows += Outbox.insert(connection, "resolved:" + episode + ":" + channel.id(), channel.id(), episode,
                        message, clock.millis());
            }
        }
        return rows;
    }

    /** Inserts reminder rows for firing alerts whose channel wants one and has heard nothing for its interval. */
    public int queueReminders() throws SQLException {
        long now = clock.millis();
        return Jdbc.inTransaction(dataSource, connection -> {
            List<Channel> channels = ChannelStore.forRouting(connection);
            List<Silence> silences = LedgerRows.silences(connection, Instant.ofEpochMilli(now));
            int rows = 0;
            for (Channel channel : channels) {
                if (!channel.enabled() || channel.remindEveryHours() == null) {
                    continue;
                }
                long interval = Duration.ofHours(channel.remindEveryHours()).toMillis();
                try (PreparedStatement select = connection.prepareStatement("SELECT e.id, e.server_id,"
                        + " e.server_name, e.rule_id, e.rule_name, e.series, e.severity, e.alert_condition,"
                        + " e.fired_value, e.since_at, MAX(o.created_at), COUNT(o.id) FROM alert_episodes e"
                        + " JOIN notification_outbox o ON o.episode_id = e.id AND o.channel_id = ?"
                        + " WHERE e.phase = 'FIRING' GROUP BY e.id, e.server_id, e.server_name, e.rule_id,"
                        + " e.rule_name, e.series, e.severity, e.alert_condition, e.fired_value, e.since_at"
                        + " HAVING MAX(o.created_at) <= ?")) {
                    select.setString(1, channel.id());
                    select.setLong(2, now - interval);
                    try (ResultSet found = select.executeQuery()) {
                        while (found.next()) {
                            String serverId = found.getString(2);
                            if (silenced(silences, serverId, found.getString(4), Instant.ofEpochMilli(now))) {
                                continue;
                            }
                            long episode = found.getLong(1);
                            Notification message = new Notification(Notification.Kind.REMINDER,
                                    Severity.valueOf(found.getString(7)), serverId, found.getString(3),
                                    found.getString(5), found.getString(8), found.getString(6),
                                    found.getDouble(9), Instant.ofEpochMilli(found.getLong(10)),
                                    Instant.ofEpochMilli(now), null, serverLink.apply(serverId));
                            rows += Outbox.insert(connection, "reminder:" + episode + ":" + channel.id() + ":"
                                    + found.getLong(12), channel.id(), episode, message, now);
                        }
                    }
                }
            }
            return rows;
        });
    }

    /**
     * Forgets what is older than {@code cutoff}: finished deliveries and their attempts, inbox lines, resolved alert
     * episodes and ended silences. Pending deliveries and active alerts are never pruned. Returns the rows deleted.
     */
    public int pruneOlderThan(Instant cutoff) throws SQLException {
        long at = cutoff.toEpochMilli();
        return Jdbc.inTransaction(dataSource, connection -> {
            int deleted = 0;
            for (String sql : List.of(
                    "DELETE FROM notification_attempts WHERE outbox_id IN (SELECT id FROM notification_outbox"
                            + " WHERE state IN ('DELIVERED', 'FAILED') AND created_at < ?)",
                    "DELETE FROM notification_outbox WHERE state IN ('DELIVERED', 'FAILED') AND created_at < ?",
                    "DELETE FROM inbox_items WHERE at_ms < ?",
                    "DELETE FROM alert_episodes WHERE phase = 'RESOLVED' AND resolved_at < ?"
                            + " AND NOT EXISTS (SELECT 1 FROM notification_outbox o"
                            + " WHERE o.episode_id = alert_episodes.id)",
                    "DELETE FROM alert_silences WHERE until_at < ?")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setLong(1, at);
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** Adds an inbox line outside the event stream (a channel that keeps failing). */
    public InboxItem addInbox(InboxItem.Kind kind, SeverityName severity, String text) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            long id = LedgerRows.insertInboxRow(connection, clock.millis(), null, null, severity, kind, text);
            return new InboxItem(id, clock.instant(), null, null, severity, kind, text);
        });
    }

    private boolean isStale(Instant at) {
        return Duration.between(at, clock.instant()).compareTo(maxEventAge) > 0;
    }

    private static boolean silenced(List<Silence> silences, String serverId, String ruleId, Instant at) {
        return silences.stream().anyMatch(silence -> silence.covers(serverId, ruleId, at));
    }

    private static String name(AlertSubject subject, String serverId) {
        return LedgerRows.clip(subject == null || subject.name() == null ? serverId : subject.name(), 255);
    }

    private static String ruleName(ActiveAlert alert) {
        return alert.ruleName() == null ? alert.ruleId() : alert.ruleName();
    }

    private InboxItem insertInbox(Connection connection, Instant at, String serverId, String serverName,
            Severity severity, InboxItem.Kind kind, String text) throws SQLException {
        SeverityName severityName = SeverityName.of(severity);
        long id = LedgerRows.insertInboxRow(connection, at.toEpochMilli(), serverId, serverName, severityName, kind,
                text);
        return new InboxItem(id, at, serverId, serverName, severityName, kind, text);
    }
}
