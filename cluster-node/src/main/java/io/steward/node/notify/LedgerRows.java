package io.steward.node.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.SeverityName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows behind the alerting read side, one statement each: alert episodes, inbox lines, the notifier's stored
 * offset, silences and the outbox's encoded messages. Called inside the transactions of {@link AlertLedger},
 * {@link AlertReads} and {@link Outbox}.
 */
final class LedgerRows {
    static final String OFFSET_NAME = "alert-notifier";

    private LedgerRows() {}

    /** Cuts text to a column's size (an agent's hostname may be longer than anything we store). */
    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static Optional<Long> activeEpisode(Connection connection, String serverId, String key)
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

    static long insertEpisode(Connection connection, String serverId, String serverName, ActiveAlert alert,
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

    static long insertInboxRow(Connection connection, long at, String serverId, String serverName,
            SeverityName severity, InboxItem.Kind kind, String text) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox_items (at_ms, server_id,"
                + " server_name, severity, kind, body_text) VALUES (?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, at);
            insert.setString(2, serverId);
            insert.setString(3, serverName);
            insert.setString(4, severity.wireName());
            insert.setString(5, kind.wireName());
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

    static long lockOffset(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT offset_value FROM steward_offsets WHERE name = ? FOR UPDATE")) {
            select.setString(1, OFFSET_NAME);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
    }

    static void saveOffset(Connection connection, long offset) throws SQLException {
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
            return AlertLedger.JSON.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode notification", e);
        }
    }

    static Notification decode(String text) throws SQLException {
        try {
            return AlertLedger.JSON.readValue(text, Notification.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt outbox message: " + e.getOriginalMessage(), e);
        }
    }
}
