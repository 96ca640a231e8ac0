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
 * PostgreSQL statements. Rows travel as arrays through {@code unnest}: one statement and one round trip per batch,
 * and {@code RETURNING} names exactly the inserted rows (JDBC batch update counts would not: with
 * {@code reWriteBatchedInserts=true} the driver reports them as unknown).
 */
final class PostgresDialect implements StoreDialect {
    /** Aggregates merged per statement, to keep statements and their arrays modest. */
    private static final int MERGE_CHUNK = 5_000;

    private static final String INSERT_RAW = """
            INSERT INTO metric_raw (server_id, seq, ts, writer_id, writer_seq, samples)
            SELECT r.server_id, r.seq, r.ts, ?, r.writer_seq, r.samples
            FROM unnest(?::varchar[], ?::int8[], ?::int8[], ?::int8[], ?::bytea[])
                AS r(server_id, seq, ts, writer_seq, samples)
            ON CONFLICT (server_id, seq) DO NOTHING
            RETURNING server_id, seq""";

    private static final String MERGE_AGGREGATES = """
            INSERT INTO %s AS t (server_id, series, bucket, min_value, max_value, sum_value, sample_count)
            SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::int8[], ?::float8[], ?::float8[], ?::float8[],
                ?::int8[])
            ON CONFLICT (server_id, series, bucket) DO UPDATE SET
                min_value = LEAST(t.min_value, EXCLUDED.min_value),
                max_value = GREATEST(t.max_value, EXCLUDED.max_value),
                sum_value = t.sum_value + EXCLUDED.sum_value,
                sample_count = t.sample_count + EXCLUDED.sample_count""";

    @Override
    public Set<RawKey> insertRawIfAbsent(Connection connection, String writerId, List<RawRow> rows)
            throws SQLException {
        int size = rows.size();
        String[] servers = new String[size];
        Long[] sequences = new Long[size];
        Long[] timestamps = new Long[size];
        Long[] writerSequences = new Long[size];
        byte[][] samples = new byte[size][];
        for (int i = 0; i < size; i++) {
            RawRow row = rows.get(i);
            servers[i] = row.serverId();
            sequences[i] = row.sequence();
            timestamps[i] = row.collectedAtMillis();
            writerSequences[i] = row.writerSequence();
            samples[i] = row.samples();
        }
        Set<RawKey> inserted = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(INSERT_RAW)) {
            statement.setString(1, writerId);
            statement.setArray(2, connection.createArrayOf("varchar", servers));
            statement.setArray(3, connection.createArrayOf("int8", sequences));
            statement.setArray(4, connection.createArrayOf("int8", timestamps));
            statement.setArray(5, connection.createArrayOf("int8", writerSequences));
            statement.setArray(6, connection.createArrayOf("bytea", samples));
            try (ResultSet keys = statement.executeQuery()) {
                while (keys.next()) {
                    inserted.add(new RawKey(keys.getString(1), keys.getLong(2)));
                }
            }
        }
        return inserted;
    }

    @Override
    public List<ServerChunk> chunksReaching(Connection connection, Map<String, Long> lowestSequences)
            throws SQLException {
        String[] servers = lowestSequences.keySet().toArray(String[]::new);
        Long[] sequences = lowestSequences.values().toArray(Long[]::new);
        List<ServerChunk> chunks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.server_id, c.payload FROM unnest(?::varchar[], ?::int8[]) AS r(server_id, seq)"
                        + " JOIN metric_chunk c ON c.server_id = r.server_id AND c.last_seq >= r.seq")) {
            statement.setArray(1, connection.createArrayOf("varchar", servers));
            statement.setArray(2, connection.createArrayOf("int8", sequences));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    chunks.add(new ServerChunk(rows.getString(1), rows.getBytes(2)));
                }
            }
        }
        return chunks;
    }

    @Override
    public void registerWriter(Connection connection, String writerId, long nowMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO rollup_progress (writer_id, upto, updated_at) VALUES (?, 0, ?)"
                        + " ON CONFLICT (writer_id) DO NOTHING")) {
            statement.setString(1, writerId);
            statement.setLong(2, nowMillis);
            statement.executeUpdate();
        }
    }

    @Override
    public void mergeAggregates(Connection connection, RollupTable table, List<AggregateRow> rows)
            throws SQLException {
        String sql = MERGE_AGGREGATES.formatted(table.table);
        for (int start = 0; start < rows.size(); start += MERGE_CHUNK) {
            List<AggregateRow> chunk = rows.subList(start, Math.min(rows.size(), start + MERGE_CHUNK));
            int size = chunk.size();
            String[] servers = new String[size];
            String[] series = new String[size];
            Long[] buckets = new Long[size];
            Double[] mins = new Double[size];
            Double[] maxes = new Double[size];
            Double[] sums = new Double[size];
            Long[] counts = new Long[size];
            for (int i = 0; i < size; i++) {
                AggregateRow row = chunk.get(i);
                servers[i] = row.serverId();
                series[i] = row.series();
                buckets[i] = row.bucket();
                mins[i] = row.aggregate().min();
                maxes[i] = row.aggregate().max();
                sums[i] = row.aggregate().sum();
                counts[i] = row.aggregate().count();
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setArray(1, connection.createArrayOf("varchar", servers));
                statement.setArray(2, connection.createArrayOf("varchar", series));
                statement.setArray(3, connection.createArrayOf("int8", buckets));
                statement.setArray(4, connection.createArrayOf("float8", mins));
                statement.setArray(5, connection.createArrayOf("float8", maxes));
                statement.setArray(6, connection.createArrayOf("float8", sums));
                statement.setArray(7, connection.createArrayOf("int8", counts));
                statement.executeUpdate();
            }
        }
    }

    @Override
    public int deleteChunk(Connection connection, String table, String condition, List<Object> parameters, int limit)
            throws SQLException {
        // PostgreSQL's DELETE has no LIMIT: pick the victims' physical row ids first.
        String sql = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT t.ctid FROM " + table + " t WHERE "
                + condition + " LIMIT ?))";
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
