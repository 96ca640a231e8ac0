package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cluster_events} table, shared by every node: each writes what it sees, and the copies of one event
 * seen by several nodes become one row (see {@link ClusterEventKind#dedupSlot}). Blocking JDBC.
 */
public final class ClusterEventStore {
    private static final int MAX_ADDRESS = 255;
    private static final int MAX_DETAIL = 500;

    private final DataSource dataSource;
    private final Duration dedupWindow;

    public ClusterEventStore(DataSource dataSource, Duration dedupWindow) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.dedupWindow = requireNonNull(dedupWindow, "dedupWindow is null");
    }

    /** Writes {@code event} unless another node already did; whether this call wrote it. */
    public boolean record(RecordedEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (event.kind().repeatable() && recordedNear(connection, event)) {
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cluster_events"
                    + " (member_address, member_uid, kind, dedup_slot, at_ms, recorded_by, detail)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, truncated(event.member(), MAX_ADDRESS));
                insert.setLong(2, event.incarnation());
                insert.setString(3, event.kind().name());
                insert.setLong(4, event.kind().dedupSlot(event.at(), dedupWindow));
                insert.setLong(5, event.at().toEpochMilli());
                insert.setString(6, truncated(event.recordedBy(), MAX_ADDRESS));
                if (event.detail() == null) {
                    insert.setNull(7, Types.VARCHAR);
                } else {
                    insert.setString(7, truncated(event.detail(), MAX_DETAIL));
                }
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Jdbc.isIntegrityViolation(e)) {
                    return false; // another node wrote the same event first
                }
                throw e;
            }
        }
    }

    /** Whether a copy of a repeatable event is already within the dedup window (it may sit in the next bucket). */
    private boolean recordedNear(Connection connection, RecordedEvent event) throws SQLException {
        long at = event.at().toEpochMilli();
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM cluster_events"
                + " WHERE member_address = ? AND member_uid = ? AND kind = ? AND at_ms > ? AND at_ms < ?")) {
            select.setString(1, truncated(event.member(), MAX_ADDRESS));
            select.setLong(2, event.incarnation());
            select.setString(3, event.kind().name());
            select.setLong(4, at - dedupWindow.toMillis());
            select.setLong(5, at + dedupWindow.toMillis());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    /** The newest events, newest first, at most {@code limit}. */
    public List<RecordedEvent> newest(int limit) throws SQLException {
        List<RecordedEvent> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT member_address, member_uid, kind,"
                        + " at_ms, recorded_by, detail FROM cluster_events ORDER BY at_ms DESC, id DESC")) {
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new RecordedEvent(rows.getString(1), rows.getLong(2),
                            ClusterEventKind.parse(rows.getString(3)), Instant.ofEpochMilli(rows.getLong(4)),
                            rows.getString(5), rows.getString(6)));
                }
            }
        }
        return events;
    }

    /** When each of these member incarnations became Up, where that was recorded. */
    public Map<Long, Instant> upSince(Collection<Long> incarnations) throws SQLException {
        Map<Long, Instant> since = new HashMap<>();
        if (incarnations.isEmpty()) {
            return since;
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(incarnations.size(), "?"));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT member_uid, MIN(at_ms)"
                        + " FROM cluster_events WHERE kind = 'UP' AND member_uid IN (" + placeholders + ")"
                        + " GROUP BY member_uid")) {
            int index = 1;
            for (long incarnation : incarnations) {
                select.setLong(index++, incarnation);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    since.put(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)));
                }
            }
        }
        return since;
    }

    /** Deletes what happened before {@code cutoff}; how many rows went. */
    public int prune(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM cluster_events WHERE at_ms < ?")) {
            delete.setLong(1, cutoff.toEpochMilli());
            return delete.executeUpdate();
        }
    }

    private static String truncated(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
