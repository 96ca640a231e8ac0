package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.ChunkCodec;
import io.steward.core.metrics.ChunkReport;
import io.steward.core.metrics.Downsampler;
import io.steward.core.metrics.Point;
import io.steward.core.metrics.Resolution;
import io.steward.core.metrics.SampleCodec;
import io.steward.core.metrics.SeriesName;
import io.steward.core.metrics.TierPlanner;
import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import io.steward.node.database.JdbcCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads of the metric store: chart ranges, a server's newest report and stored sequences, and server deletion.
 * Blocking: call these from a blocking executor ({@link MetricStore} offers them asynchronously).
 */
public final class MetricQueries {
    /** Longest range a chart query may span; longer is a client bug, not a chart. */
    public static final Duration MAX_RANGE = Duration.ofDays(3660);
    /**
     * A raw read may return this many times the planner's row budget (the planner trusts the current report
     * interval; older data may be denser) before the query falls back to the 1-minute tier.
     */
    private static final int RAW_OVERRUN_FACTOR = 4;
    /** Rows fetched per round trip by streaming reads. */
    private static final int FETCH_SIZE = JdbcCursor.FETCH_SIZE;
    /**
     * How far back a rollup query also reads raw rows not yet rolled up, as a multiple of the rollup interval:
     * normally only the last interval's rows are pending.
     */
    private static final int TAIL_ROLLUP_INTERVALS = 4;

    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final StoreSettings settings;
    private final TierPlanner planner;

    public MetricQueries(Database database, StoreSettings settings) {
        requireNonNull(database, "database is null");
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.settings = requireNonNull(settings, "settings is null");
        this.planner = settings.tierPlanner();
    }

    /**
     * One series of one server between {@code from} and {@code to} (both inclusive), from the tier the
     * {@link TierPlanner} picks, thinned to at most {@code maxPoints} points. Rollup tiers also fold in raw rows of
     * the last few rollup intervals that the rollup job has not reached yet, so the newest bucket is not missing.
     *
     * @param reportInterval the server's reporting interval, which the planner uses to estimate raw rows
     * @param now the reference for retention: a range older than a tier's retention is read from a coarser tier
     * @throws IllegalArgumentException if {@code from} is not before {@code to}, the range exceeds
     *     {@link #MAX_RANGE}, the interval is not positive, or the series name is not a valid series name
     */
    public SeriesResult range(String serverId, String series, Instant from, Instant to, Duration reportInterval,
            Instant now) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        requireNonNull(series, "series is null");
        checkRange(from, to, reportInterval, now);
        checkSeries(series);

        long fromMillis = from.toEpochMilli();
        long toMillis = to.toEpochMilli();
        Resolution resolution = planner.choose(from, to, now, reportInterval);
        List<Point> points = null;
        if (resolution == Resolution.RAW) {
            points = readRaw(serverId, series, fromMillis, toMillis, rawRowLimit());
            if (points == null) {
                resolution = coarserThanRaw(from, now);
            }
        }
        if (points == null) {
            points = readRollup(StoreDialect.RollupTable.of(resolution), serverId, series, fromMillis, toMillis,
                    now.toEpochMilli());
        }
        return new SeriesResult(series, resolution,
                Downsampler.toAtMost(points, settings.maxPoints(), fromMillis, toMillis));
    }

    /**
     * The tier {@link #range} reads for this server and range, decided the same way (the {@link TierPlanner}, then
     * the coarser tier should the raw rows exceed the read budget), but by counting the raw rows instead of reading
     * them: for exports, which then read every row of that tier.
     *
     * @throws IllegalArgumentException on the arguments {@link #range} refuses
     */
    public Resolution resolutionFor(String serverId, Instant from, Instant to, Duration reportInterval, Instant now)
            throws SQLException {
        requireNonNull(serverId, "serverId is null");
        checkRange(from, to, reportInterval, now);
        Resolution planned = planner.choose(from, to, now, reportInterval);
        if (planned != Resolution.RAW) {
            return planned;
        }
        long limit = rawRowLimit();
        long fromMillis = from.toEpochMilli();
        long toMillis = to.toEpochMilli();
        long rows = Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            long packed = 0;
            for (byte[] chunk : ChunkReads.overlapping(connection, serverId, fromMillis, toMillis)) {
                packed += ChunkReads.countIn(chunk, fromMillis, toMillis);
                if (packed > limit) {
                    return packed;
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM"
                    + " metric_raw WHERE server_id = ? AND ts >= ? AND ts <= ? FETCH FIRST ? ROWS ONLY) capped")) {
                statement.setString(1, serverId);
                statement.setLong(2, fromMillis);
                statement.setLong(3, toMillis);
                statement.setLong(4, limit + 1 - packed);
                try (ResultSet found = statement.executeQuery()) {
                    found.next();
                    return packed + found.getLong(1);
                }
            }
        });
        return rows > limit ? coarserThanRaw(from, now) : Resolution.RAW;
    }

    /** Raw rows a query may meet before it reads a rollup tier instead. */
    private long rawRowLimit() {
        return (long) settings.maxRowsRead() * RAW_OVERRUN_FACTOR;
    }

    /** The tier read when the raw rows are too many: 1-minute while it still holds the range, else 1-hour. */
    private Resolution coarserThanRaw(Instant from, Instant now) {
        return from.isBefore(now.minus(settings.minuteRetention())) ? Resolution.ONE_HOUR : Resolution.ONE_MINUTE;
    }

    private static void checkRange(Instant from, Instant to, Duration reportInterval, Instant now) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(reportInterval, "reportInterval is null");
        requireNonNull(now, "now is null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("the range from " + from + " to " + to + " is longer than "
                    + MAX_RANGE.toDays() + " days");
        }
        if (reportInterval.isNegative() || reportInterval.isZero()) {
            throw new IllegalArgumentException("reportInterval must be positive, was " + reportInterval);
        }
    }

    /** Refuses a string that is not a valid series name. */
    static void checkSeries(String series) {
        if (series.length() > SeriesName.MAX_LENGTH) {
            throw new IllegalArgumentException("series name longer than " + SeriesName.MAX_LENGTH + " characters");
        }
        SeriesName.parse(series);
    }

    /**
     * Raw points in time order, from the chunks and the raw tail, or null if there are more than {@code maxRows}
     * reports in the range.
     */
    private List<Point> readRaw(String serverId, String series, long from, long to, long maxRows)
            throws SQLException {
        // A read-only transaction lets the PostgreSQL driver stream with a cursor instead of buffering every row;
        // repeatable read, so that a compaction committing meanwhile cannot move a report past this read.
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            List<Point> points = new ArrayList<>();
            long packed = 0;
            for (byte[] chunk : ChunkReads.overlapping(connection, serverId, from, to)) {
                packed += ChunkReads.countIn(chunk, from, to);
                if (packed > maxRows) {
                    return null;
                }
                for (Point point : ChunkCodec.series(chunk, series)) {
                    if (point.epochMillis() >= from && point.epochMillis() <= to && Double.isFinite(point.value())) {
                        points.add(point);
                    }
                }
            }
            int fromChunks = points.size();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT ts, samples FROM metric_raw WHERE server_id = ? AND ts >= ? AND ts <= ? ORDER BY ts")) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setString(1, serverId);
                statement.setLong(2, from);
                statement.setLong(3, to);
                long rowCount = packed;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (++rowCount > maxRows) {
                            return null;
                        }
                        double value = SampleCodec.find(rows.getBytes(2), series);
                        if (Double.isFinite(value)) {
                            points.add(Point.of(rows.getLong(1), value));
                        }
                    }
                }
            }
            if (fromChunks > 0) {
                // Late reports make chunks overlap or precede tail rows; the sort is stable and nearly free when sorted.
                points.sort(Comparator.comparingLong(Point::epochMillis));
            }
            return points;
        });
    }

    private List<Point> readRollup(StoreDialect.RollupTable table, String serverId, String series, long from,
            long to, long now) throws SQLException {
        long firstBucket = table.resolution.bucketStart(from);
        long tailFrom = tailFrom(table, from, now);
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            TreeMap<BucketKey, Aggregate> buckets = rollupBuckets(connection, table, serverId, series, firstBucket,
                    to, tailFrom);
            List<Point> points = new ArrayList<>(buckets.size());
            for (Map.Entry<BucketKey, Aggregate> bucket : buckets.entrySet()) {
                Aggregate aggregate = bucket.getValue();
                points.add(new Point(bucket.getKey().bucket(), aggregate.average(), aggregate.min(), aggregate.max()));
            }
            return points;
        });
    }

    /**
     * Where the rollup tier's pending-raw tail starts for a query up to now: raw rows from here on may not be rolled
     * up yet, so reads fold them in.
     */
    long tailFrom(StoreDialect.RollupTable table, long from, long now) {
        long firstBucket = table.resolution.bucketStart(from);
        return Math.max(firstBucket, now - settings.rollupInterval().toMillis() * TAIL_ROLLUP_INTERVALS);
    }

    /** A rollup bucket of one series, ordered by time, then series name. */
    record BucketKey(long bucket, String series) implements Comparable<BucketKey> {
        @Override
        public int compareTo(BucketKey other) {
            int byTime = Long.compare(bucket, other.bucket);
            return byTime != 0 ? byTime : series.compareTo(other.series);
        }
    }

    /**
     * The rollup buckets from {@code firstBucket} to {@code to} of one series, or of every series when
     * {@code series} is null, with the raw rows from {@code tailFrom} on that the rollup job has not reached folded
     * in. Run it in one repeatable-read transaction: rollups first, then pending raw rows, so that should the
     * rollup job commit in between (without snapshot isolation), a row would be missed for a moment, never counted
     * twice.
     */
    static TreeMap<BucketKey, Aggregate> rollupBuckets(Connection connection, StoreDialect.RollupTable table,
            String serverId, @Nullable String series, long firstBucket, long to, long tailFrom) throws SQLException {
        TreeMap<BucketKey, Aggregate> buckets = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT bucket, series, min_value, max_value,"
                + " sum_value, sample_count FROM " + table.table + " WHERE server_id = ?"
                + (series == null ? "" : " AND series = ?") + " AND bucket >= ? AND bucket <= ?")) {
            statement.setFetchSize(FETCH_SIZE);
            int parameter = 1;
            statement.setString(parameter++, serverId);
            if (series != null) {
                statement.setString(parameter++, series);
            }
            statement.setLong(parameter++, firstBucket);
            statement.setLong(parameter, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    buckets.put(new BucketKey(rows.getLong(1), rows.getString(2)),
                            new Aggregate(rows.getDouble(3), rows.getDouble(4), rows.getDouble(5), rows.getLong(6)));
                }
            }
        }
        if (tailFrom <= to) {
            foldPendingRaw(connection, table, serverId, series, tailFrom, to, buckets);
        }
        return buckets;
    }

    private static void foldPendingRaw(Connection connection, StoreDialect.RollupTable table, String serverId,
            @Nullable String series, long from, long to, TreeMap<BucketKey, Aggregate> buckets) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT r.ts, r.samples FROM metric_raw r
                LEFT JOIN rollup_progress p ON p.writer_id = r.writer_id
                WHERE r.server_id = ? AND r.ts >= ? AND r.ts <= ? AND (p.upto IS NULL OR r.writer_seq > p.upto)""")) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, serverId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long bucket = table.resolution.bucketStart(rows.getLong(1));
                    byte[] samples = rows.getBytes(2);
                    if (series != null) {
                        fold(buckets, bucket, series, SampleCodec.find(samples, series));
                    } else {
                        SampleCodec.decode(samples).forEach((name, value) -> fold(buckets, bucket, name, value));
                    }
                }
            }
        }
    }

    private static void fold(TreeMap<BucketKey, Aggregate> buckets, long bucket, String series, double value) {
        if (Double.isFinite(value)) {
            buckets.merge(new BucketKey(bucket, series), Aggregate.of(value), Aggregate::merge);
        }
    }

    /** The highest stored report sequence of the server, 0 if none is stored. */
    public long lastStoredSequence(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> Math.max(
                ChunkReads.single(connection, "SELECT MAX(last_seq) FROM metric_chunk WHERE server_id = ?", serverId),
                ChunkReads.single(connection, "SELECT MAX(seq) FROM metric_raw WHERE server_id = ?", serverId)));
    }

    /** The samples of the server's newest stored report by collection time, if any. */
    public Optional<LatestSamples> latest(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            Optional<ChunkReport> packed = ChunkReads.latest(connection, serverId);
            try (PreparedStatement statement = connection.prepareStatement("SELECT ts, seq, samples FROM metric_raw"
                    + " WHERE server_id = ? ORDER BY ts DESC, seq DESC FETCH FIRST 1 ROWS ONLY")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    // A tail row wins unless the newest chunk holds a later report (a late report in the tail).
                    if (rows.next() && (packed.isEmpty() || rows.getLong(1) > packed.get().epochMillis()
                            || (rows.getLong(1) == packed.get().epochMillis()
                                    && rows.getLong(2) > packed.get().sequence()))) {
                        return Optional.of(new LatestSamples(Instant.ofEpochMilli(rows.getLong(1)), rows.getLong(2),
                                SampleCodec.decode(rows.getBytes(3))));
                    }
                }
            }
            return packed.map(report -> new LatestSamples(Instant.ofEpochMilli(report.epochMillis()),
                    report.sequence(), report.samples()));
        });
    }

    /** How many reports of the server are stored (packed in chunks or raw rows). */
    public long countReports(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection ->
                ChunkReads.single(connection, "SELECT COALESCE(SUM(report_count), 0) FROM metric_chunk"
                        + " WHERE server_id = ?", serverId)
                + ChunkReads.single(connection, "SELECT COUNT(*) FROM metric_raw WHERE server_id = ?", serverId));
    }

    /** Every stored report sequence of the server, ascending (for durability checks; unbounded). */
    public List<Long> storedSequences(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            List<Long> sequences = new ArrayList<>(ChunkReads.sequences(connection, serverId));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT seq FROM metric_raw WHERE server_id = ? ORDER BY seq")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sequences.add(rows.getLong(1));
                    }
                }
            }
            sequences.sort(null);
            return sequences;
        });
    }

    /** Deletes the server's raw reports (chunks and tail) and rollups, in bounded chunks. */
    public void deleteServer(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        // The tail before the chunks: a compaction that read the tail's rows before they went commits its chunk
        // before the chunks are deleted (its delete of those rows waits on ours), so no chunk is left behind.
        for (String table : List.of("metric_raw", "metric_chunk", "metric_1m", "metric_1h")) {
            RetentionJob.deleteInChunks(dataSource, dialect, settings.deleteChunkRows(), table, "t.server_id = ?",
                    List.of(serverId));
        }
    }
}
