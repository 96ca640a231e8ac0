package io.steward.node.metrics;

import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.SampleCodec;
import io.steward.node.database.Jdbc;
import io.steward.node.database.JdbcCursor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The blocking reads of a metric export: every row of the chosen tier through a {@link JdbcCursor}, never the whole
 * range in memory. The raw tier is read as two cursors, the packed chunks and the raw tail, merged by time. A rollup tier is read in two parts, as a chart reads it: the buckets before the pending-raw tail
 * through the cursor, then the few newest buckets with the raw rows the rollup job has not reached folded in.
 */
final class MetricExportReads {
    private final DataSource dataSource;
    private final MetricQueries queries;

    /** One raw report, from the tail or a chunk: its collection time and samples. */
    record RawReport(long epochMillis, Map<String, Double> samples) {}

    /*
     * Each ORDER BY starts with server_id, fixed by the WHERE clause, so that it names an index's columns from the
     * first: only then does H2 read the rows in index order (metric_raw_server_ts_idx, the rollups' *_server_bucket_idx)
     * and hand out the first row at once, instead of sorting every row of the range before it (export-bench.sh).
     */
    /** The raw reports of a server in a range, by time. */
    static final String RAW_SQL = "SELECT ts, samples FROM metric_raw WHERE server_id = ? AND ts >= ? AND ts <= ?"
            + " ORDER BY server_id, ts";

    /** A server's rollup buckets in a range, of every series or of one, by time, then series. */
    static String rollupSql(StoreDialect.RollupTable table, boolean oneSeries) {
        return "SELECT bucket, series, sum_value, sample_count FROM " + table.table + " WHERE server_id = ?"
                + (oneSeries ? " AND series = ?" : "") + " AND bucket >= ? AND bucket < ?"
                + " ORDER BY server_id, bucket, series";
    }

    MetricExportReads(DataSource dataSource, MetricQueries queries) {
        this.dataSource = dataSource;
        this.queries = queries;
    }

    /** Raw reports of the range in time order. */
    JdbcCursor<RawReport> openRaw(MetricExportPlan plan) throws SQLException {
        return JdbcCursor.open(dataSource, RAW_SQL,
                statement -> {
                    statement.setString(1, plan.serverId());
                    statement.setLong(2, plan.from().toEpochMilli());
                    statement.setLong(3, plan.to().toEpochMilli());
                },
                row -> new RawReport(row.getLong(1), SampleCodec.decode(row.getBytes(2))));
    }

    /** The packed reports of the range, chunk by chunk (by the chunks' end), each chunk's in time order. */
    JdbcCursor<List<RawReport>> openChunks(MetricExportPlan plan) throws SQLException {
        long from = plan.from().toEpochMilli();
        long to = plan.to().toEpochMilli();
        return JdbcCursor.open(dataSource, ChunkReads.OVERLAPPING,
                statement -> ChunkReads.bindOverlapping(statement, plan.serverId(), from, to),
                row -> ChunkReads.reportsIn(row.getBytes(1), from, to).stream()
                        .map(report -> new RawReport(report.epochMillis(), report.samples()))
                        .toList());
    }

    /** The rows of raw reports, in the reports' order and by series name within one report. */
    static List<MetricRow> rowsOf(List<RawReport> reports, @Nullable String series) {
        List<MetricRow> rows = new ArrayList<>();
        for (RawReport report : reports) {
            if (series != null) {
                Double value = report.samples().get(series);
                if (value != null && Double.isFinite(value)) {
                    rows.add(new MetricRow(report.epochMillis(), series, value));
                }
                continue;
            }
            new TreeMap<>(report.samples()).forEach((name, value) -> {
                if (Double.isFinite(value)) {
                    rows.add(new MetricRow(report.epochMillis(), name, value));
                }
            });
        }
        return rows;
    }

    /** Where the rollup buckets read through the cursor end (exclusive) and the tail read begins. */
    long tailBucket(MetricExportPlan plan) {
        StoreDialect.RollupTable table = StoreDialect.RollupTable.of(plan.resolution());
        long to = plan.to().toEpochMilli();
        long tailFrom = queries.tailFrom(table, plan.from().toEpochMilli(), plan.now().toEpochMilli());
        // A range that ends before the tail has none: the cursor reads all of it.
        return tailFrom <= to ? table.resolution.bucketStart(tailFrom) : to + 1;
    }

    /** Rollup buckets from the range's first bucket up to {@code untilBucket} (exclusive), by time, then series. */
    JdbcCursor<MetricRow> openRollup(MetricExportPlan plan, long untilBucket) throws SQLException {
        StoreDialect.RollupTable table = StoreDialect.RollupTable.of(plan.resolution());
        String series = plan.series();
        return JdbcCursor.open(dataSource, rollupSql(table, series != null),
                statement -> {
                    int parameter = 1;
                    statement.setString(parameter++, plan.serverId());
                    if (series != null) {
                        statement.setString(parameter++, series);
                    }
                    statement.setLong(parameter++, table.resolution.bucketStart(plan.from().toEpochMilli()));
                    statement.setLong(parameter, untilBucket);
                },
                row -> new MetricRow(row.getLong(1), row.getString(2), row.getDouble(3) / row.getLong(4)));
    }

    /** The buckets from {@code tailBucket} to the range's end, pending raw rows folded in: a few buckets at most. */
    List<MetricRow> tail(MetricExportPlan plan, long tailBucket) throws SQLException {
        StoreDialect.RollupTable table = StoreDialect.RollupTable.of(plan.resolution());
        long to = plan.to().toEpochMilli();
        if (tailBucket > to) {
            return List.of();
        }
        long tailFrom = queries.tailFrom(table, plan.from().toEpochMilli(), plan.now().toEpochMilli());
        TreeMap<MetricQueries.BucketKey, Aggregate> buckets = Jdbc.readConsistently(dataSource,
                Connection.TRANSACTION_REPEATABLE_READ, connection -> MetricQueries.rollupBuckets(connection, table,
                        plan.serverId(), plan.series(), tailBucket, to, tailFrom));
        List<MetricRow> rows = new ArrayList<>(buckets.size());
        for (Map.Entry<MetricQueries.BucketKey, Aggregate> bucket : buckets.entrySet()) {
            rows.add(new MetricRow(bucket.getKey().bucket(), bucket.getKey().series(), bucket.getValue().average()));
        }
        return rows;
    }
}
