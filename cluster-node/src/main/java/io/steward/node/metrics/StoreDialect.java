package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.Resolution;
import io.steward.node.database.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few statements whose SQL differs between H2 and PostgreSQL: insert-if-absent with per-row outcomes, merging
 * aggregates into rollups, and bounded deletes. Everything else in the store is portable SQL.
 */
sealed interface StoreDialect permits H2Dialect, PostgresDialect {

    static StoreDialect of(DatabaseSettings.Kind kind) {
        return switch (kind) {
            case H2 -> new H2Dialect();
            case POSTGRESQL -> new PostgresDialect();
        };
    }

    /** A raw report row to insert. */
    record RawRow(String serverId, long sequence, long collectedAtMillis, long writerSequence, byte[] samples) {
        public RawRow {
            requireNonNull(serverId, "serverId is null");
            requireNonNull(samples, "samples is null");
        }

        RawKey key() {
            return new RawKey(serverId, sequence);
        }
    }

    /** Primary key of a raw row. */
    record RawKey(String serverId, long sequence) {}

    /** One rollup bucket's aggregate to merge into a rollup table. */
    record AggregateRow(String serverId, String series, long bucket, Aggregate aggregate) {}

    /** The rollup tables and the bucket width each holds. */
    enum RollupTable {
        ONE_MINUTE("metric_1m", Resolution.ONE_MINUTE),
        ONE_HOUR("metric_1h", Resolution.ONE_HOUR);

        final String table;
        final Resolution resolution;

        RollupTable(String table, Resolution resolution) {
            this.table = table;
            this.resolution = resolution;
        }

        static RollupTable of(Resolution resolution) {
            return switch (resolution) {
                case ONE_MINUTE -> ONE_MINUTE;
                case ONE_HOUR -> ONE_HOUR;
                case RAW -> throw new IllegalArgumentException("raw is not a rollup tier");
            };
        }
    }

    /**
     * Inserts each row unless a row with its (server, sequence) exists, inside the caller's transaction.
     *
     * @return the keys of the rows actually inserted
     */
    Set<RawKey> insertRawIfAbsent(Connection connection, String writerId, List<RawRow> rows) throws SQLException;

    /**
     * The payloads of the chunks of each given server whose highest sequence is at least the given one: the only
     * chunks that can already hold a report of that server from that sequence on (normally none: new reports have
     * higher sequences than anything packed).
     */
    List<ServerChunk> chunksReaching(Connection connection, Map<String, Long> lowestSequences) throws SQLException;

    /** A chunk's payload and its server. */
    record ServerChunk(String serverId, byte[] payload) {}

    /** Creates the writer's rollup progress row (upto 0) unless it exists. */
    void registerWriter(Connection connection, String writerId, long nowMillis) throws SQLException;

    /**
     * Merges aggregates into a rollup table: inserts new buckets, combines existing ones (min of mins, max of
     * maxes, sums and counts added). Rows must have distinct keys.
     */
    void mergeAggregates(Connection connection, RollupTable table, List<AggregateRow> rows) throws SQLException;

    /**
     * Deletes at most {@code limit} rows of {@code table} matching {@code condition} (SQL over alias {@code t},
     * from this package only, never from input) with the given parameters; returns how many were deleted.
     */
    int deleteChunk(Connection connection, String table, String condition, List<Object> parameters, int limit)
            throws SQLException;
}
