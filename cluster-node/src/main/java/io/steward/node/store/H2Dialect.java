package io.steward.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
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

    private static final String MERGE_AGGREGATES = """
            MERGE INTO %s t
            USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(200)), CAST(? AS BIGINT),
                    CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION),
                    CAST(? AS BIGINT)))
                s(server_id, series, bucket, min_value, max_value, sum_value, sample_count)
            ON t.server_id = s.server_id AND t.series = s.series AND t.bucket = s.bucket
            WHEN MATCHED THEN UPDATE SET
                min_value = LEAST(t.min_value, s.min_value),
                max_value = GREATEST(t.max_value, s.max_value),
                sum_value = t.sum_value + s.sum_value,
                sample_count = t.sample_count + s.sample_count
            WHEN NOT MATCHED THEN INSERT (server_id, series, bucket, min_value, max_value, sum_value, sample_count)
                VALUES (s.server_id, s.series, s.bucket, s.min_value, s.max_value, s.sum_value, s.sample_count)""";

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
        try (PreparedStatement statement = connection.prepareStatement(MERGE_AGGREGATES.formatted(table.table))) {
            for (AggregateRow row : rows) {
                statement.setString(1, row.serverId());
                statement.setString(2, row.series());
                statement.setLong(3, row.bucket());
                statement.setDouble(4, row.aggregate().min());
                statement.setDouble(5, row.aggregate().max());
                statement.setDouble(6, row.aggregate().sum());
                statement.setLong(7, row.aggregate().count());
                statement.addBatch();
            }
            statement.executeBatch();
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
