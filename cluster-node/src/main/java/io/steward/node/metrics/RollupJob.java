package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.SampleCodec;
import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds new raw rows into the 1-minute and 1-hour rollups. Per writer, rows with {@code writer_seq} above the
 * writer's {@code rollup_progress.upto} are read in chunks; each chunk's aggregates are merged into the rollup tables
 * (so late samples combine with what is there) and {@code upto} advances, all in one transaction that holds the
 * progress row {@code FOR UPDATE}: two nodes running this job never fold a row twice, and a failed run folds nothing.
 *
 * <p>A writer commits its batches one after another, so its rows become visible in {@code writer_seq} order and the
 * watermark cannot pass a row that commits later. A duplicate report is never inserted, so it is never counted.
 * Progress rows are created by {@link MetricWriter} in the transaction of its first batch, so every raw row has one.
 *
 * <p>Blocking: call {@link #runOnce()} from a blocking executor.
 */
public final class RollupJob {
    private static final Logger log = LoggerFactory.getLogger(RollupJob.class);
    private static final Comparator<StoreDialect.AggregateRow> KEY_ORDER =
            Comparator.comparing(StoreDialect.AggregateRow::serverId)
                    .thenComparing(StoreDialect.AggregateRow::series)
                    .thenComparingLong(StoreDialect.AggregateRow::bucket);

    /** Attempts per chunk when it conflicts with a concurrent transaction. */
    private static final int MAX_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final int chunkRows;
    private final Clock clock;

    /**
     * What one run folded in: raw rows read, and rollup rows merged per tier (a bucket that several chunks touch
     * counts once per chunk).
     */
    public record Result(long rawRows, long minuteRowsMerged, long hourRowsMerged) {
        Result plus(Result other) {
            return new Result(rawRows + other.rawRows, minuteRowsMerged + other.minuteRowsMerged,
                    hourRowsMerged + other.hourRowsMerged);
        }
    }

    public RollupJob(Database database, StoreSettings settings, Clock clock) {
        requireNonNull(database, "database is null");
        requireNonNull(settings, "settings is null");
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.chunkRows = settings.rollupChunkRows();
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Folds every raw row not yet rolled up; returns how much it folded. */
    public Result runOnce() throws SQLException {
        long started = System.nanoTime();
        Result total = new Result(0, 0, 0);
        for (String writerId : writersWithNewRows()) {
            Result chunk;
            do {
                chunk = rollUpChunkRetrying(writerId);
                total = total.plus(chunk);
            } while (chunk.rawRows() >= chunkRows);
        }
        if (total.rawRows() > 0) {
            log.debug("Rolled up [{}] raw rows into [{}] minute and [{}] hour rows in [{}] ms", total.rawRows(),
                    total.minuteRowsMerged(), total.hourRowsMerged(), (System.nanoTime() - started) / 1_000_000);
        }
        return total;
    }

    private List<String> writersWithNewRows() throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            List<String> writers = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT p.writer_id FROM rollup_progress p
                    WHERE EXISTS (SELECT 1 FROM metric_raw r WHERE r.writer_id = p.writer_id AND r.writer_seq > p.upto)
                    ORDER BY p.writer_id""");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    writers.add(rows.getString(1));
                }
            }
            return writers;
        });
    }

    /**
     * Retries a chunk that collided with a concurrent job (on H2 two jobs can both insert a new bucket of the same
     * server: one fails on the key) or lost a deadlock; its transaction rolled back, so a retry counts nothing twice.
     */
    private Result rollUpChunkRetrying(String writerId) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return rollUpChunk(writerId);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !Jdbc.isConflict(e)) {
                    throw e;
                }
                log.debug("Rollup chunk of writer [{}] conflicted with a concurrent transaction; retrying", writerId, e);
            }
        }
    }

    private Result rollUpChunk(String writerId) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Long upto = lockProgress(connection, writerId);
            if (upto == null) {
                return new Result(0, 0, 0);
            }
            Map<BucketKey, Aggregate> minutes = new HashMap<>();
            Map<BucketKey, Aggregate> hours = new HashMap<>();
            long newUpto = upto;
            int read = 0;
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT server_id, seq, ts, writer_seq, samples FROM metric_raw
                    WHERE writer_id = ? AND writer_seq > ?
                    ORDER BY writer_seq
                    FETCH FIRST ? ROWS ONLY""")) {
                statement.setString(1, writerId);
                statement.setLong(2, upto);
                statement.setInt(3, chunkRows);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        read++;
                        String serverId = rows.getString(1);
                        long ts = rows.getLong(3);
                        newUpto = Math.max(newUpto, rows.getLong(4));
                        Map<String, Double> samples;
                        try {
                            samples = SampleCodec.decode(rows.getBytes(5));
                        } catch (IllegalArgumentException e) {
                            // Skipped rather than retried forever: it would block this writer's rollups for good.
                            log.warn("Skipping undecodable report [{}] of server [{}] in rollups: {}",
                                    rows.getLong(2), serverId, e.getMessage());
                            continue;
                        }
                        fold(minutes, StoreDialect.RollupTable.ONE_MINUTE, serverId, ts, samples);
                        fold(hours, StoreDialect.RollupTable.ONE_HOUR, serverId, ts, samples);
                    }
                }
            }
            if (read == 0) {
                return new Result(0, 0, 0);
            }
            dialect.mergeAggregates(connection, StoreDialect.RollupTable.ONE_MINUTE, sorted(minutes));
            dialect.mergeAggregates(connection, StoreDialect.RollupTable.ONE_HOUR, sorted(hours));
            try (PreparedStatement advance = connection.prepareStatement(
                    "UPDATE rollup_progress SET upto = ?, updated_at = ? WHERE writer_id = ?")) {
                advance.setLong(1, newUpto);
                advance.setLong(2, clock.millis());
                advance.setString(3, writerId);
                advance.executeUpdate();
            }
            return new Result(read, minutes.size(), hours.size());
        });
    }

    /** Locks the writer's progress row for this transaction and returns its watermark; null if it vanished. */
    private static Long lockProgress(Connection connection, String writerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT upto FROM rollup_progress WHERE writer_id = ? FOR UPDATE")) {
            statement.setString(1, writerId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static void fold(Map<BucketKey, Aggregate> buckets, StoreDialect.RollupTable table, String serverId,
            long ts, Map<String, Double> samples) {
        long bucket = table.resolution.bucketStart(ts);
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            double value = sample.getValue();
            if (Double.isFinite(value)) {
                buckets.merge(new BucketKey(serverId, sample.getKey(), bucket), Aggregate.of(value),
                        Aggregate::merge);
            }
        }
    }

    /** In key order, so concurrent runs on several nodes lock rollup rows in the same order (no deadlocks). */
    private static List<StoreDialect.AggregateRow> sorted(Map<BucketKey, Aggregate> buckets) {
        List<StoreDialect.AggregateRow> rows = new ArrayList<>(buckets.size());
        for (Map.Entry<BucketKey, Aggregate> entry : buckets.entrySet()) {
            BucketKey key = entry.getKey();
            rows.add(new StoreDialect.AggregateRow(key.serverId(), key.series(), key.bucket(), entry.getValue()));
        }
        rows.sort(KEY_ORDER);
        return rows;
    }

    private record BucketKey(String serverId, String series, long bucket) {}
}
