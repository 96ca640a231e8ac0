package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The persistent outbox (table {@code notification_outbox}) and its attempt log: a message waits here until its
 * channel accepts it or its attempts run out, across restarts. Blocking JDBC.
 */
public final class Outbox {
    private final DataSource dataSource;
    private final Clock clock;

    /** A message due for (another) attempt. */
    public record Pending(long id, String channelId, Notification notification, int attempts) {}

    /** One row as the API lists it. */
    public record Delivery(long id, String channelId, String channelName, String serverId, String serverName, String kind,
            String severity, String subject, String state, int attempts, Instant nextAttemptAt, String lastError,
            Instant createdAt, Instant deliveredAt) {}

    public record Attempt(Instant at, boolean ok, @Nullable String error, int millis) {}

    public Outbox(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Queues a message unless one with the same key was queued before; returns the rows inserted (0 or 1). */
    static int insert(Connection connection, String dedupKey, String channelId, Long episodeId,
            Notification notification, long now) throws SQLException {
        if (exists(connection, dedupKey)) {
            return 0;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_outbox (dedup_key,"
                + " channel_id, episode_id, server_id, server_name, kind, severity, subject, message, state,"
                + " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            insert.setString(1, dedupKey);
            insert.setString(2, channelId);
            if (episodeId == null) {
                insert.setNull(3, Types.BIGINT);
            } else {
                insert.setLong(3, episodeId);
            }
            insert.setString(4, notification.serverId());
            insert.setString(5, notification.serverName());
            insert.setString(6, notification.kind().name());
            insert.setString(7, notification.severity().name());
            String subject = notification.subject();
            insert.setString(8, subject.length() > 300 ? subject.substring(0, 300) : subject);
            insert.setString(9, LedgerRows.encode(notification));
            insert.setLong(10, now);
            insert.setLong(11, now);
            return insert.executeUpdate();
        }
    }

    static boolean exists(Connection connection, String dedupKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM notification_outbox WHERE dedup_key = ?")) {
            select.setString(1, dedupKey);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * How many messages the outbox holds in each state ({@code PENDING}, {@code DELIVERED}, {@code FAILED}; finished
     * ones until the retention prunes them), for the node's metrics. Every state is present, 0 when none.
     */
    public Map<String, Long> countByState() throws SQLException {
        Map<String, Long> counts = new TreeMap<>(Map.of("PENDING", 0L, "DELIVERED", 0L, "FAILED", 0L));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT state, COUNT(*) FROM notification_outbox GROUP BY state");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /**
     * Messages whose next attempt is due, oldest first. Rows of disabled channels wait (without using attempts)
     * until the channel is enabled again; a row whose message cannot be read is failed with the reason.
     */
    public List<Pending> due(int limit) throws SQLException {
        List<Pending> due = new ArrayList<>();
        List<long[]> unreadable = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT o.id, o.channel_id, o.message,"
                        + " o.attempts FROM notification_outbox o LEFT JOIN notification_channels c"
                        + " ON c.id = o.channel_id WHERE o.state = 'PENDING' AND o.next_attempt_at <= ?"
                        + " AND (c.id IS NULL OR c.enabled = TRUE) ORDER BY o.next_attempt_at, o.id")) {
            select.setLong(1, clock.millis());
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    try {
                        due.add(new Pending(rows.getLong(1), rows.getString(2),
                                LedgerRows.decode(rows.getString(3)), rows.getInt(4)));
                    } catch (SQLException e) {
                        unreadable.add(new long[] {rows.getLong(1), rows.getInt(4)});
                    }
                }
            }
        }
        for (long[] row : unreadable) {
            recordAttempt(row[0], (int) row[1] + 1, false, "the stored message cannot be read", 0, null);
        }
        return due;
    }

    /**
     * Takes a row for one attempt: moves its next attempt to {@code leaseUntil}, so a second dispatcher (a singleton
     * hand-over) or a crash mid-send leaves it alone until then. False if someone else has taken it.
     */
    public boolean claim(long id, int attempts, Instant leaseUntil) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE notification_outbox"
                    + " SET next_attempt_at = ? WHERE id = ? AND state = 'PENDING' AND attempts = ?")) {
                update.setLong(1, leaseUntil.toEpochMilli());
                update.setLong(2, id);
                update.setInt(3, attempts);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Logs an attempt and moves the message on: delivered, pending again at {@code retryAt}, or failed for good
     * when {@code retryAt} is null.
     */
    public void recordAttempt(long id, int attempt, boolean ok, String error, int millis, Instant retryAt)
            throws SQLException {
        long now = clock.millis();
        String cleanError = clean(error);
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement log = connection.prepareStatement("INSERT INTO notification_attempts (outbox_id,"
                    + " attempt, at_ms, ok, error, millis) VALUES (?, ?, ?, ?, ?, ?)")) {
                log.setLong(1, id);
                log.setInt(2, attempt);
                log.setLong(3, now);
                log.setBoolean(4, ok);
                log.setString(5, cleanError);
                log.setInt(6, millis);
                log.executeUpdate();
            }
            String state = ok ? "DELIVERED" : retryAt == null ? "FAILED" : "PENDING";
            try (PreparedStatement update = connection.prepareStatement("UPDATE notification_outbox SET state = ?,"
                    + " attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE id = ?")) {
                update.setString(1, state);
                update.setInt(2, attempt);
                if (retryAt == null) {
                    update.setNull(3, Types.BIGINT);
                } else {
                    update.setLong(3, retryAt.toEpochMilli());
                }
                update.setString(4, ok ? null : cleanError);
                if (ok) {
                    update.setLong(5, now);
                } else {
                    update.setNull(5, Types.BIGINT);
                }
                update.setLong(6, id);
                return update.executeUpdate();
            }
        });
    }

    public List<Delivery> list(String channelId, int limit) throws SQLException {
        String where = channelId == null ? "" : " WHERE o.channel_id = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT o.id, o.channel_id, o.server_id,"
                        + " o.server_name, o.kind, o.severity, o.subject, o.state, o.attempts, o.next_attempt_at,"
                        + " o.last_error, o.created_at, o.delivered_at, c.name FROM notification_outbox o"
                        + " LEFT JOIN notification_channels c ON c.id = o.channel_id" + where
                        + " ORDER BY o.id DESC")) {
            if (channelId != null) {
                select.setString(1, channelId);
            }
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                List<Delivery> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(new Delivery(rows.getLong(1), rows.getString(2), rows.getString(14), rows.getString(3),
                            rows.getString(4),
                            rows.getString(5).toLowerCase(Locale.ROOT),
                            rows.getString(6) == null ? null : rows.getString(6).toLowerCase(Locale.ROOT),
                            rows.getString(7), rows.getString(8).toLowerCase(Locale.ROOT), rows.getInt(9),
                            Rows.instant(rows, 10), rows.getString(11), Rows.instant(rows, 12), Rows.instant(rows, 13)));
                }
                return list;
            }
        }
    }

    public boolean exists(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT 1 FROM notification_outbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    public List<Attempt> attempts(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT at_ms, ok, error, millis"
                        + " FROM notification_attempts WHERE outbox_id = ? ORDER BY attempt")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                List<Attempt> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(new Attempt(Instant.ofEpochMilli(rows.getLong(1)), rows.getBoolean(2),
                            rows.getString(3), rows.getInt(4)));
                }
                return list;
            }
        }
    }

    /** Error text as stored: no control characters (PostgreSQL refuses NUL), at most the column's 1,000. */
    static String clean(String error) {
        if (error == null) {
            return null;
        }
        String text = error.replaceAll("\\p{Cntrl}", " ");
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    public Instant now() {
        return clock.instant();
    }
}
