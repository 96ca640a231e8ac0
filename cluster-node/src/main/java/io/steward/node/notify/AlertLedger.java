package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.core.alerting.Severity;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.server.ServerEntity;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    static final String OFFSET_NAME = "alert-notifier";
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

    /** One tagged event as the read journal delivered it. */
    public record Envelope(long offset, String serverId, ServerEntity.Event event) {}

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
                select.setString(1, OFFSET_NAME);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return rows.getLong(1);
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO steward_offsets (name, offset_value) VALUES (?, 0)")) {
                insert.setString(1, OFFSET_NAME);
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
            long last = lockOffset(connection);
            List<Channel> channels = ChannelStore.all(connection);
            List<Silence> silences = silences(connection, clock.instant().minus(maxEventAge));
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
                    long id = insertInboxRow(connection, clock.millis(), envelope.serverId(), null, "warning",
                            "notifier-error", clip("An alert event of server " + envelope.serverId()
                                    + " could not be recorded (see the node log): " + e.getMessage(), 1000));
                    inbox.add(new InboxItem(id, clock.instant(), envelope.serverId(), null, "warning",
                            "notifier-error", "An alert event could not be recorded (see the node log)"));
                }
                last = envelope.offset();
            }
            saveOffset(connection, last);
            return new Outcome(inbox, outboxRows);
        });
    }

    private int applyOne(Connection connection, Envelope envelope, List<Channel> channels, List<Silence> silences,
            List<InboxItem> inbox) throws SQLException {
        String serverId = envelope.serverId();
        ServerEntity.Event event = envelope.event();
        if (event instanceof ServerEntity.AlertPending pending) {
            if (activeEpisode(connection, serverId, pending.alert().key()).isEmpty()) {
                insertEpisode(connection, serverId, name(pending.subject(), serverId), pending.alert(), "PENDING");
            }
            return 0;
        }
        if (event instanceof ServerEntity.AlertCancelled cancelled) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM alert_episodes"
                    + " WHERE server_id = ? AND alert_key = ? AND phase = 'PENDING'")) {
                delete.setString(1, serverId);
                delete.setString(2, cancelled.alert().key());
                delete.executeUpdate();
            }
            return 0;
        }
        if (event instanceof ServerEntity.AlertFired fired) {
            return onFired(connection, serverId, fired, channels, silences, inbox);
        }
        if (event instanceof ServerEntity.AlertResolved resolved) {
            return onResolved(connection, serverId, resolved, channels, silences, inbox);
        }
        if (event instanceof ServerEntity.AlertAcknowledged acknowledged) {
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
        if (event instanceof ServerEntity.Deleted deleted) {
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

    private int onFired(Connection connection, String serverId, ServerEntity.AlertFired fired, List<Channel> channels,
            List<Silence> silences, List<InboxItem> inbox) throws SQLException {
        ActiveAlert alert = fired.alert();
        String serverName = name(fired.subject(), serverId);
        Optional<Long> existing = activeEpisode(connection, serverId, alert.key());
        long episode = existing.isPresent()
                ? existing.get() : insertEpisode(connection, serverId, serverName, alert, "FIRING");
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
        inbox.add(insertInbox(connection, fired.at(), serverId, serverName, alert.severity(), "firing",
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

    private int onResolved(Connection connection, String serverId, ServerEntity.AlertResolved resolved,
            List<Channel> channels, List<Silence> silences, List<InboxItem> inbox) throws SQLException {
        ActiveAlert alert = resolved.alert();
        Optional<Long> found = activeEpisode(connection, serverId, alert.key());
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
        inbox.add(insertInbox(connection, resolved.at(), serverId, serverName, alert.severity(), "resolved",
                message.subject()));
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
            List<Channel> channels = ChannelStore.all(connection);
            List<Silence> silences = silences(connection, Instant.ofEpochMilli(now));
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
    public InboxItem addInbox(String kind, String severity, String text) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            long id = insertInboxRow(connection, clock.millis(), null, null, severity, kind, text);
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
        return clip(subject == null || subject.name() == null ? serverId : subject.name(), 255);
    }

    /** Cuts text to a column's size (an agent's hostname may be longer than anything we store). */
    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static String ruleName(ActiveAlert alert) {
        return alert.ruleName() == null ? alert.ruleId() : alert.ruleName();
    }

    private static Optional<Long> activeEpisode(Connection connection, String serverId, String key)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM alert_episodes"
                + " WHERE server_id = ? AND alert_key = ? AND phase IN ('PENDING', 'FIRING')")) {
            select.setString(1, serverId);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    private static long insertEpisode(Connection connection, String serverId, String serverName, ActiveAlert alert,
            String phase) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO alert_episodes (server_id,"
                + " server_name, alert_key, rule_id, rule_name, series, severity, alert_condition, phase, since_at,"
                + " alert_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, serverId);
            insert.setString(2, serverName);
            insert.setString(3, alert.key());
            insert.setString(4, alert.ruleId());
            insert.setString(5, clip(alert.ruleName(), 100));
            insert.setString(6, clip(alert.series(), 300));
            insert.setString(7, alert.severity().name());
            insert.setString(8, clip(alert.condition(), 300));
            insert.setString(9, phase);
            insert.setLong(10, alert.since().toEpochMilli());
            insert.setDouble(11, alert.value());
            insert.executeUpdate();
            return generatedId(insert);
        }
    }

    private InboxItem insertInbox(Connection connection, Instant at, String serverId, String serverName,
            Severity severity, String kind, String text) throws SQLException {
        String severityName = severity.name().toLowerCase(Locale.ROOT);
        long id = insertInboxRow(connection, at.toEpochMilli(), serverId, serverName, severityName, kind, text);
        return new InboxItem(id, at, serverId, serverName, severityName, kind, text);
    }

    private static long insertInboxRow(Connection connection, long at, String serverId, String serverName,
            String severity, String kind, String text) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox_items (at_ms, server_id,"
                + " server_name, severity, kind, body_text) VALUES (?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, at);
            insert.setString(2, serverId);
            insert.setString(3, serverName);
            insert.setString(4, severity);
            insert.setString(5, kind);
            insert.setString(6, text.length() > 1000 ? text.substring(0, 1000) : text);
            insert.executeUpdate();
            return generatedId(insert);
        }
    }

    static long generatedId(Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated id");
            }
            return keys.getLong(1);
        }
    }

    private static long lockOffset(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT offset_value FROM steward_offsets WHERE name = ? FOR UPDATE")) {
            select.setString(1, OFFSET_NAME);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
    }

    private static void saveOffset(Connection connection, long offset) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE steward_offsets SET offset_value = ? WHERE name = ?")) {
            update.setLong(1, offset);
            update.setString(2, OFFSET_NAME);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO steward_offsets (name, offset_value) VALUES (?, ?)")) {
            insert.setString(1, OFFSET_NAME);
            insert.setLong(2, offset);
            insert.executeUpdate();
        }
    }

    /** Silences that end after {@code endingAfter} (older ones stay in the table as the record of past windows). */
    static List<Silence> silences(Connection connection, Instant endingAfter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, server_id, rule_id, until_at, note,"
                + " created_by, created_at FROM alert_silences WHERE until_at > ? ORDER BY until_at")) {
            select.setLong(1, endingAfter.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
                List<Silence> silences = new ArrayList<>();
                while (rows.next()) {
                    silences.add(new Silence(rows.getString(1), rows.getString(2), rows.getString(3),
                            Instant.ofEpochMilli(rows.getLong(4)), rows.getString(5), rows.getString(6),
                            Instant.ofEpochMilli(rows.getLong(7))));
                }
                return silences;
            }
        }
    }

    static String encode(Notification notification) {
        try {
            return JSON.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode notification", e);
        }
    }

    static Notification decode(String text) throws SQLException {
        try {
            return JSON.readValue(text, Notification.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt outbox message: " + e.getOriginalMessage(), e);
        }
    }
}
