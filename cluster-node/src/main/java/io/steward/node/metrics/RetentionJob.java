package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes metric rows older than their tier's retention, in chunks of {@code deleteChunkRows} rows per statement so
 * no transaction grows with the backlog; the raw tier's packed chunks go once their newest report is older. Raw rows are deleted only once rolled up, so a long outage of the rollup
 * job loses detail but never the rollups' data. Safe to run on several nodes at once.
 *
 * <p>Blocking: call {@link #runOnce} from a blocking executor.
 */
public final class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    /** Raw rows older than a cutoff that the rollups already hold (shared with {@link DataPurge}). */
    static final String ROLLED_UP_BEFORE = "t.ts < ? AND EXISTS (SELECT 1 FROM rollup_progress p"
            + " WHERE p.writer_id = t.writer_id AND p.upto >= t.writer_seq)";

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final StoreSettings settings;
    private volatile Supplier<TierRetention> retention;

    /** Rows deleted per tier by one run. */
    public record Result(long rawRows, long minuteRows, long hourRows) {}

    public RetentionJob(Database database, StoreSettings settings) {
        requireNonNull(database, "database is null");
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.settings = requireNonNull(settings, "settings is null");
        TierRetention configured = TierRetention.of(settings);
        this.retention = () -> configured;
    }

    /** Where each run reads the retentions from (a runtime setting), instead of the config file. */
    public void retentionFrom(Supplier<TierRetention> source) {
        this.retention = requireNonNull(source, "source is null");
    }

    /** Deletes every row older than its retention as of {@code now}. */
    public Result runOnce(Instant now) throws SQLException {
        requireNonNull(now, "now is null");
        TierRetention keep = retention.get();
        long rawCutoff = cutoff(now, keep.raw());
        long raw = deleteChunksBefore(dataSource, settings.deleteChunkRows(), rawCutoff)
                + deleteAll("metric_raw", ROLLED_UP_BEFORE, rawCutoff);
        long minute = deleteAll("metric_1m", "t.bucket < ?", cutoff(now, keep.oneMinute()));
        long hour = deleteAll("metric_1h", "t.bucket < ?", cutoff(now, keep.oneHour()));
        Result result = new Result(raw, minute, hour);
        if (raw + minute + hour > 0) {
            log.info("Retention deleted [{}] raw, [{}] 1-minute and [{}] 1-hour rows", raw, minute, hour);
        }
        return result;
    }

    private static long cutoff(Instant now, Duration retention) {
        return now.minus(retention).toEpochMilli();
    }

    private long deleteAll(String table, String condition, long cutoff) throws SQLException {
        return deleteInChunks(dataSource, dialect, settings.deleteChunkRows(), table, condition, List.of(cutoff));
    }

    /** Chunks whose newest report is older than a cutoff; a chunk holds rolled-up reports only. */
    static final String CHUNK_BEFORE = "t.end_ts < ?";

    /**
     * Deletes the chunks whose newest report is older than {@code cutoff}, a bounded number per transaction; returns
     * how many reports they held (the raw tier counts reports, packed or not).
     */
    static long deleteChunksBefore(DataSource dataSource, int chunkRows, long cutoff) throws SQLException {
        // Chunks are few (one per server and window), so a bound of a tenth of the row bound keeps transactions small.
        int limit = Math.max(1, chunkRows / 10);
        long reports = 0;
        int deleted;
        do {
            long[] counts = Jdbc.inTransaction(dataSource, connection -> {
                List<Object[]> keys = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT server_id, end_ts,"
                        + " first_seq, report_count FROM metric_chunk t WHERE " + CHUNK_BEFORE
                        + " FETCH FIRST ? ROWS ONLY")) {
                    select.setLong(1, cutoff);
                    select.setInt(2, limit);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            keys.add(new Object[] {rows.getString(1), rows.getLong(2), rows.getLong(3),
                                    rows.getLong(4)});
                        }
                    }
                }
                long held = 0;
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM metric_chunk"
                        + " WHERE server_id = ? AND end_ts = ? AND first_seq = ?")) {
                    for (Object[] key : keys) {
                        delete.setString(1, (String) key[0]);
                        delete.setLong(2, (Long) key[1]);
                        delete.setLong(3, (Long) key[2]);
                        if (delete.executeUpdate() > 0) { // 0: another node's retention took it
                            held += (Long) key[3];
                        }
                    }
                }
                return new long[] {keys.size(), held};
            });
            deleted = (int) counts[0];
            reports += counts[1];
        } while (deleted >= limit);
        return reports;
    }

    /** Repeats a bounded delete, each chunk its own transaction, until a chunk comes back short. */
    static long deleteInChunks(DataSource dataSource, StoreDialect dialect, int chunkRows, String table,
            String condition, List<Object> parameters) throws SQLException {
        long total = 0;
        int deleted;
        do {
            deleted = Jdbc.withConnection(dataSource,
                    connection -> dialect.deleteChunk(connection, table, condition, parameters, chunkRows));
            total += deleted;
        } while (deleted >= chunkRows);
        return total;
    }
}
