package io.steward.node.metrics;

import io.steward.core.metrics.ChunkCodec;
import io.steward.core.metrics.ChunkReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of {@code metric_chunk}, the packed part of the raw tier ({@link CompactionJob}), for the readers that see the
 * raw tier as chunks plus the {@code metric_raw} tail. Read both in one transaction with snapshot isolation (repeatable
 * read) where a report must be seen exactly once: a compaction committing between the two reads would otherwise move
 * a report from the tail into a chunk under the reader.
 */
final class ChunkReads {
    private ChunkReads() {}

    /**
     * The chunks of a server that may hold reports collected from {@code from} to {@code to} (inclusive), by end time.
     * A chunk spans at most {@link CompactionJob#MAX_WINDOW}, which bounds the index range read.
     */
    static final String OVERLAPPING = "SELECT payload FROM metric_chunk WHERE server_id = ? AND end_ts >= ?"
            + " AND end_ts <= ? AND start_ts <= ? ORDER BY server_id, end_ts";

    static void bindOverlapping(PreparedStatement statement, String serverId, long from, long to)
            throws SQLException {
        statement.setString(1, serverId);
        statement.setLong(2, from);
        statement.setLong(3, saturatedAdd(to, CompactionJob.MAX_WINDOW.toMillis()));
        statement.setLong(4, to);
    }

    static List<byte[]> overlapping(Connection connection, String serverId, long from, long to) throws SQLException {
        List<byte[]> chunks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(OVERLAPPING)) {
            bindOverlapping(statement, serverId, from, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    chunks.add(rows.getBytes(1));
                }
            }
        }
        return chunks;
    }

    /** The reports of a chunk collected from {@code from} to {@code to} (inclusive), in time order. */
    static List<ChunkReport> reportsIn(byte[] chunk, long from, long to) {
        List<ChunkReport> reports = new ArrayList<>();
        for (ChunkReport report : ChunkCodec.decode(chunk)) {
            if (report.epochMillis() >= from && report.epochMillis() <= to) {
                reports.add(report);
            }
        }
        reports.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
        return reports;
    }

    /** How many reports of the chunk were collected from {@code from} to {@code to} (inclusive). */
    static int countIn(byte[] chunk, long from, long to) {
        int count = 0;
        for (long time : ChunkCodec.timestamps(chunk)) {
            if (time >= from && time <= to) {
                count++;
            }
        }
        return count;
    }

    /** The newest packed report of the server by collection time, then sequence. */
    static Optional<ChunkReport> latest(Connection connection, String serverId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT payload FROM metric_chunk"
                + " WHERE server_id = ? ORDER BY server_id DESC, end_ts DESC FETCH FIRST 1 ROWS ONLY")) {
            statement.setString(1, serverId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                ChunkReport newest = null;
                for (ChunkReport report : ChunkCodec.decode(rows.getBytes(1))) {
                    if (newest == null || report.epochMillis() > newest.epochMillis()
                            || (report.epochMillis() == newest.epochMillis() && report.sequence() > newest.sequence())) {
                        newest = report;
                    }
                }
                return Optional.ofNullable(newest);
            }
        }
    }

    /** Every packed report sequence of the server, in no particular order. */
    static List<Long> sequences(Connection connection, String serverId) throws SQLException {
        List<Long> sequences = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT payload FROM metric_chunk WHERE server_id = ?")) {
            statement.setString(1, serverId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    for (long sequence : ChunkCodec.sequences(rows.getBytes(1))) {
                        sequences.add(sequence);
                    }
                }
            }
        }
        return sequences;
    }

    /** One number from a single-row, single-column query with the server id as its only parameter. */
    static long single(Connection connection, String sql, String serverId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, serverId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
