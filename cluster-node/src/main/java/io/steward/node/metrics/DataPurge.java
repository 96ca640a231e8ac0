package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Purge data older than…": deletes every tier's metric rows older than a cutoff at once, beyond what retention would
 * keep, or counts what such a purge would delete (the preview). Raw rows not yet rolled up are kept, as retention keeps
 * them, so a purge never loses the rollups' data; the preview counts with the same conditions. Blocking JDBC.
 */
public final class DataPurge {
    private static final Logger log = LoggerFactory.getLogger(DataPurge.class);

    /** Rows per tier: what a preview found, or what a purge deleted. */
    public record Counts(long rawRows, long minuteRows, long hourRows) {
        public long total() {
            return rawRows + minuteRows + hourRows;
        }
    }

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final int chunkRows;

    public DataPurge(Database database, StoreSettings settings) {
        requireNonNull(database, "database is null");
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.chunkRows = settings.deleteChunkRows();
    }

    /** How many rows per tier a purge of everything older than {@code olderThan} would delete now. */
    public Counts preview(Instant olderThan) throws SQLException {
        long cutoff = olderThan.toEpochMilli();
        return new Counts(count("metric_raw", RetentionJob.ROLLED_UP_BEFORE, cutoff)
                        + sum("report_count", "metric_chunk", RetentionJob.CHUNK_BEFORE, cutoff),
                count("metric_1m", "t.bucket < ?", cutoff), count("metric_1h", "t.bucket < ?", cutoff));
    }

    /** Deletes every tier's rows older than {@code olderThan}, in chunks; returns what was deleted. */
    public Counts purge(Instant olderThan) throws SQLException {
        long cutoff = olderThan.toEpochMilli();
        Counts deleted = new Counts(
                RetentionJob.deleteChunksBefore(dataSource, chunkRows, cutoff)
                        + RetentionJob.deleteInChunks(dataSource, dialect, chunkRows, "metric_raw",
                                RetentionJob.ROLLED_UP_BEFORE, List.of(cutoff)),
                RetentionJob.deleteInChunks(dataSource, dialect, chunkRows, "metric_1m", "t.bucket < ?",
                        List.of(cutoff)),
                RetentionJob.deleteInChunks(dataSource, dialect, chunkRows, "metric_1h", "t.bucket < ?",
                        List.of(cutoff)));
        log.info("Purged metric data older than [{}]: [{}] raw, [{}] 1-minute and [{}] 1-hour rows", olderThan,
                deleted.rawRows(), deleted.minuteRows(), deleted.hourRows());
        return deleted;
    }

    private long count(String table, String condition, long cutoff) throws SQLException {
        return sum("1", table, condition, cutoff);
    }

    private long sum(String column, String table, String condition, long cutoff) throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COALESCE(SUM(" + column + "), 0) FROM " + table + " t WHERE " + condition)) {
                select.setLong(1, cutoff);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }
}
