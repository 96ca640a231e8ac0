package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import io.steward.node.alerting.SeverityName;
import io.steward.node.database.Jdbc;
import io.steward.node.database.JdbcCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** What the API reads and edits of the alerting read side: episodes, silences, the inbox. Blocking JDBC. */
public final class AlertReads {
    private static final String EPISODE_COLUMNS = "id, server_id, server_name, alert_key, rule_id, rule_name, series,"
            + " severity, alert_condition, phase, since_at, alert_value, fired_at, fired_value, resolved_at,"
            + " resolved_value, resolve_reason, ack_by, ack_at, ack_comment";

    private final DataSource dataSource;
    private final Clock clock;

    /** One alert episode (active or past). Nullable fields are absent until the episode gets there. */
    public record Episode(long id, String serverId, String serverName, String key, String ruleId, String ruleName,
            String series, String severity, String condition, String phase, Instant since, Double value,
            Instant firedAt, Double firedValue, Instant resolvedAt, Double resolvedValue, String resolveReason,
            String ackBy, Instant ackAt, String ackComment) {}

    public record Inbox(long unread, List<InboxItem> items) {}

    public AlertReads(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Pending and firing alerts across the fleet, newest first. */
    public List<Episode> active() throws SQLException {
        return episodes("WHERE phase IN ('PENDING', 'FIRING') ORDER BY since_at DESC, id DESC", 5000);
    }

    /**
     * Firing episodes (current and past), newest first, optionally for a server (its exact id, or a part of its
     * name, case-insensitive) and/or a severity.
     */
    public List<Episode> history(String server, String severity, int limit) throws SQLException {
        List<String> args = new ArrayList<>();
        String where = historyClause(server, severity, args);
        return episodes(where, limit, args.toArray(String[]::new));
    }

    /**
     * All of {@link #history} without a limit, through a cursor for an export: the caller reads it in batches on a
     * blocking thread and must close it.
     */
    public JdbcCursor<Episode> openHistory(String server, String severity) throws SQLException {
        List<String> args = new ArrayList<>();
        String where = historyClause(server, severity, args);
        return JdbcCursor.open(dataSource, "SELECT " + EPISODE_COLUMNS + " FROM alert_episodes " + where,
                statement -> {
                    for (int i = 0; i < args.size(); i++) {
                        statement.setString(i + 1, args.get(i));
                    }
                },
                AlertReads::episode);
    }

    /** The WHERE and ORDER BY of the history; adds the statement's arguments to {@code args}. */
    private static String historyClause(String server, String severity, List<String> args) {
        StringBuilder where = new StringBuilder("WHERE fired_at IS NOT NULL");
        if (server != null && !server.isBlank()) {
            where.append(" AND (server_id = ? OR LOWER(server_name) LIKE ?)");
            args.add(server);
            args.add("%" + server.toLowerCase(Locale.ROOT).replaceAll("[%_\\\\]", "") + "%");
        }
        if (severity != null) {
            where.append(" AND severity = ?");
            args.add(severity.toUpperCase(Locale.ROOT));
        }
        where.append(" ORDER BY fired_at DESC, id DESC");
        return where.toString();
    }

    private List<Episode> episodes(String clause, int limit, String... args) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + EPISODE_COLUMNS + " FROM alert_episodes " + clause)) {
            for (int i = 0; i < args.length; i++) {
                select.setString(i + 1, args[i]);
            }
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                List<Episode> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(episode(rows));
                }
                return list;
            }
        }
    }

    private static Episode episode(ResultSet rows) throws SQLException {
        return new Episode(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), rows.getString(7),
                rows.getString(8).toLowerCase(Locale.ROOT), rows.getString(9),
                rows.getString(10).toLowerCase(Locale.ROOT), Rows.instant(rows, 11), Rows.number(rows, 12),
                Rows.instant(rows, 13), Rows.number(rows, 14), Rows.instant(rows, 15), Rows.number(rows, 16),
                rows.getString(17), rows.getString(18), Rows.instant(rows, 19), rows.getString(20));
    }

    /** Silences still in force. */
    public List<Silence> silences() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Instant now = clock.instant();
            return LedgerRows.silences(connection, now);
        }
    }

    public void createSilence(Silence silence) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO alert_silences (id, server_id,"
                    + " rule_id, until_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, silence.id());
                insert.setString(2, silence.serverId());
                insert.setString(3, silence.ruleId());
                insert.setLong(4, silence.until().toEpochMilli());
                insert.setString(5, silence.comment());
                insert.setString(6, silence.by());
                insert.setLong(7, silence.createdAt().toEpochMilli());
                return insert.executeUpdate();
            }
        });
    }

    /** Ends a silence now; returns it as it was, if it existed. Expired rows stay as the record of past windows. */
    public Optional<Silence> endSilence(String id) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<Silence> found = LedgerRows.silences(connection, clock.instant()).stream()
                    .filter(s -> s.id().equals(id)).findFirst();
            if (found.isPresent()) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE alert_silences SET until_at = ? WHERE id = ? AND until_at > ?")) {
                    long now = clock.millis();
                    update.setLong(1, now);
                    update.setString(2, id);
                    update.setLong(3, now);
                    update.executeUpdate();
                }
            }
            return found;
        });
    }

    public Inbox inbox(String username, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long unread = unread(connection, username);
            try (PreparedStatement select = connection.prepareStatement("SELECT id, at_ms, server_id, server_name,"
                    + " severity, kind, body_text FROM inbox_items ORDER BY id DESC")) {
                select.setMaxRows(limit);
                try (ResultSet rows = select.executeQuery()) {
                    List<InboxItem> items = new ArrayList<>();
                    while (rows.next()) {
                        items.add(new InboxItem(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getString(3), rows.getString(4), SeverityName.parse(rows.getString(5)),
                                InboxItem.Kind.parse(rows.getString(6)), rows.getString(7)));
                    }
                    return new Inbox(unread, items);
                }
            }
        }
    }

    public long unread(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return unread(connection, username);
        }
    }

    private static long unread(Connection connection, String username) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM inbox_items WHERE id > ?")) {
            count.setLong(1, readUpTo(connection, username));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Marks the inbox read up to {@code upTo} for one user (never backwards). */
    public void markRead(String username, long upTo) throws SQLException {
        try {
            markReadOnce(username, upTo);
        } catch (SQLException e) {
            if (!Jdbc.isDataError(e)) {
                throw e;
            }
            markReadOnce(username, upTo); // two tabs inserted the user's first row at once: the row exists now
        }
    }

    private void markReadOnce(String username, long upTo) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            long current = readUpTo(connection, username);
            if (upTo <= current) {
                return 0;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE inbox_reads SET up_to = ? WHERE username = ?")) {
                update.setLong(1, upTo);
                update.setString(2, username);
                if (update.executeUpdate() == 1) {
                    return 1;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO inbox_reads (username, up_to) VALUES (?, ?)")) {
                insert.setString(1, username);
                insert.setLong(2, upTo);
                return insert.executeUpdate();
            }
        });
    }

    private static long readUpTo(Connection connection, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT up_to FROM inbox_reads WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
    }

}
