package io.steward.node.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * H2 statements: {@code MERGE ... USING} per row in a JDBC batch, whose per-row update counts (1 inserted, 0
 * matched) give exact outcomes; H2 is embedded, so a batch costs no round trips.
 */
final class H2Dialect implements StoreDialect {
    private static final String INSERT_RAW = """
            MERGE INTO metric_raw t
            USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) s(server_id, seq)
            ON t.server_id = s.server_id AND t.seq = s.seq
            WHEN NOT MATCHED THEN INSERT (server_id, seq, ts, writer_id, writer_seq, samples)
                VALUES (s.server_id, s.seq, ?, ?, ?, ?)""";

    private static final String REGISTER_WRITER = """
            MERGE INTO rollup_progress t
            USING (VALUES (CAST(? AS VARCHAR(36)))) s(writer_id)
            ON t.writer_id = s.writer_id
            WHEN NOT MATCHED THEN INSERT (writer_id, upto, updated_at) VALUES (s.writer_id, 0, ?)""";

    private static final String UPDATE_AGGREGATE = """
            UPDATE %s SET
                min_value = LEAST(min_value, ?),
                max_value = GREATEST(max_value, ?),
                sum_value = sum_value + ?,
                sample_count = sample_count + ?
            WHERE server_id = ? AND series = ? AND bucket = ?""";

    private static final String INSERT_AGGREGATE = """
            INSERT INTO %s (server_id, series, bucket, min_value, max_value, sum_value, sample_count)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";


    @Override
    public Set<RawKey> insertRawIfAbsent(Connection connection, String writerId, List<RawRow> rows)
            throws SQLException {
        int[] counts;
        try (PreparedStatement statement = connection.prepareStatement(INSERT_RAW)) {
            for (RawRow row : rows) {
                statement.setString(1, row.serverId());
                statement.setLong(2, row.sequence());
                statement.setLong(3, row.collectedAtMillis());
                statement.setString(4, writerId);
                statement.setLong(5, row.writerSequence());
                statement.setBytes(6, row.samples());
                statement.addBatch();
            }
            counts = statement.executeBatch();
        }
        Set<RawKey> inserted = new HashSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                inserted.add(rows.get(i).key());
            }
        }
        return inserted;
    }

    @Override
    public List<ServerChunk> chunksReaching(Connection connection, Map<String, Long> lowestSequences)
            throws SQLException {
        // Embedded: a probe per server costs no round trip.
        List<ServerChunk> chunks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT payload FROM metric_chunk WHERE server_id = ? AND last_seq >= ?")) {
            for (Map.Entry<String, Long> server : lowestSequences.entrySet()) {
                statement.setString(1, server.getKey());
                statement.setLong(2, server.getValue());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        chunks.add(new ServerChunk(server.getKey(), rows.getBytes(1)));
                    }
                }
            }
        }
        return chunks;
    }

    @Override
    public void registerWriter(Connection connection, String writerId, long nowMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(REGISTER_WRITER)) {
            statement.setString(1, writerId);
            statement.setLong(2, nowMillis);
            statement.executeUpdate();
        }
    }

    @Override
    public void mergeAggregates(Connection connection, RollupTable table, List<AggregateRow> rows)
            throws SQLException {
        // Update the buckets that exist, then insert the rest: measured faster on H2 than MERGE ... USING per row.
        int[] updated;
        try (PreparedStatement update = connection.prepareStatement(UPDATE_AGGREGATE.formatted(table.table))) {
            for (AggregateRow row : rows) {
                update.setDouble(1, row.aggregate().min());
                update.setDouble(2, row.aggregate().max());
                update.setDouble(3, row.aggregate().sum());
                update.setLong(4, row.aggregate().count());
                update.setString(5, row.serverId());
                update.setString(6, row.series());
                update.setLong(7, row.bucket());
                update.addBatch();
            }
            updated = update.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_AGGREGATE.formatted(table.table))) {
            boolean any = false;
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    AggregateRow row = rows.get(i);
                    insert.setString(1, row.serverId());
                    insert.setString(2, row.series());
                    insert.setLong(3, row.bucket());
                    insert.setDouble(4, row.aggregate().min());
                    insert.setDouble(5, row.aggregate().max());
                    insert.setDouble(6, row.aggregate().sum());
                    insert.setLong(7, row.aggregate().count());
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    @Override
    public int deleteChunk(Connection connection, String table, String condition, List<Object> parameters, int limit)
            throws SQLException {
        String sql = "DELETE FROM " + table + " t WHERE " + condition + " FETCH FIRST ? ROWS ONLY";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (Object parameter : parameters) {
                statement.setObject(index++, parameter);
            }
            statement.setInt(index, limit);
            return statement.executeUpdate();
        }
    }
}
