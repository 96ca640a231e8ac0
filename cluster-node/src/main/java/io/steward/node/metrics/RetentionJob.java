package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes metric rows older than their tier's retention, in chunks of {@code deleteChunkRows} rows per statement so
 * no transaction grows with the backlog. Raw rows are deleted only once rolled up, so a long outage of the rollup
 * job loses detail but never the rollups' data. Safe to run on several nodes at once.
 *
 * <p>Blocking: call {@link #runOnce} from a blocking executor.
 */
public final class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    private static final String ROLLED_UP_BEFORE = "t.ts < ? AND EXISTS (SELECT 1 FROM rollup_progress p"
            + " WHERE p.writer_id = t.writer_id AND p.upto >= t.writer_seq)";

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final StoreSettings settings;

    /** Rows deleted per tier by one run. */
    public record Result(long rawRows, long minuteRows, long hourRows) {}

    public RetentionJob(Database database, StoreSettings settings) {
        requireNonNull(database, "database is null");
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Deletes every row older than its retention as of {@code now}. */
    public Result runOnce(Instant now) throws SQLException {
        requireNonNull(now, "now is null");
        long raw = deleteAll("metric_raw", ROLLED_UP_BEFORE, cutoff(now, settings.rawRetention()));
        long minute = deleteAll("metric_1m", "t.bucket < ?", cutoff(now, settings.minuteRetention()));
        long hour = deleteAll("metric_1h", "t.bucket < ?", cutoff(now, settings.hourRetention()));
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
