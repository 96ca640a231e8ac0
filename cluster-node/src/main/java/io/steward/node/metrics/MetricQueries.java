package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.Downsampler;
import io.steward.core.metrics.Point;
import io.steward.core.metrics.Resolution;
import io.steward.core.metrics.SampleCodec;
import io.steward.core.metrics.SeriesName;
import io.steward.core.metrics.TierPlanner;
import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

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
    private static final int FETCH_SIZE = 1_000;
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
        if (series.length() > SeriesName.MAX_LENGTH) {
            throw new IllegalArgumentException("series name longer than " + SeriesName.MAX_LENGTH + " characters");
        }
        SeriesName.parse(series);

        long fromMillis = from.toEpochMilli();
        long toMillis = to.toEpochMilli();
        Resolution resolution = planner.choose(from, to, now, reportInterval);
        List<Point> points = null;
        if (resolution == Resolution.RAW) {
            points = readRaw(serverId, series, fromMillis, toMillis,
                    (long) settings.maxRowsRead() * RAW_OVERRUN_FACTOR);
            if (points == null) {
                resolution = from.isBefore(now.minus(settings.minuteRetention()))
                        ? Resolution.ONE_HOUR : Resolution.ONE_MINUTE;
            }
        }
        if (points == null) {
            points = readRollup(StoreDialect.RollupTable.of(resolution), serverId, series, fromMillis, toMillis,
                    now.toEpochMilli());
        }
        return new SeriesResult(series, resolution,
                Downsampler.toAtMost(points, settings.maxPoints(), fromMillis, toMillis));
    }

    /** Raw points in time order, or null if there are more than {@code maxRows}. */
    private List<Point> readRaw(String serverId, String series, long from, long to, long maxRows)
            throws SQLException {
        // A read-only transaction lets the PostgreSQL driver stream with a cursor instead of buffering every row.
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_READ_COMMITTED, connection -> {
            List<Point> points = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT ts, samples FROM metric_raw WHERE server_id = ? AND ts >= ? AND ts <= ? ORDER BY ts")) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setString(1, serverId);
                statement.setLong(2, from);
                statement.setLong(3, to);
                long rowCount = 0;
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
            return points;
        });
    }

    private List<Point> readRollup(StoreDialect.RollupTable table, String serverId, String series, long from,
            long to, long now) throws SQLException {
        long firstBucket = table.resolution.bucketStart(from);
        long tailFrom = Math.max(firstBucket, now - settings.rollupInterval().toMillis() * TAIL_ROLLUP_INTERVALS);
        // Rollups first, then pending raw rows: should the rollup job commit in between (without snapshot
        // isolation), a row would be missed for a moment, never counted twice.
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            TreeMap<Long, Aggregate> buckets = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT bucket, min_value, max_value,"
                    + " sum_value, sample_count FROM " + table.table
                    + " WHERE server_id = ? AND series = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket")) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setString(1, serverId);
                statement.setString(2, series);
                statement.setLong(3, firstBucket);
                statement.setLong(4, to);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        buckets.put(rows.getLong(1),
                                new Aggregate(rows.getDouble(2), rows.getDouble(3), rows.getDouble(4), rows.getLong(5)));
                    }
                }
            }
            if (tailFrom <= to) {
                foldPendingRaw(connection, table, serverId, series, tailFrom, to, buckets);
            }
            List<Point> points = new ArrayList<>(buckets.size());
            for (Map.Entry<Long, Aggregate> bucket : buckets.entrySet()) {
                Aggregate aggregate = bucket.getValue();
                points.add(new Point(bucket.getKey(), aggregate.average(), aggregate.min(), aggregate.max()));
            }
            return points;
        });
    }

    private static void foldPendingRaw(Connection connection, StoreDialect.RollupTable table, String serverId,
            String series, long from, long to, TreeMap<Long, Aggregate> buckets) throws SQLException {
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
                    double value = SampleCodec.find(rows.getBytes(2), series);
                    if (Double.isFinite(value)) {
                        buckets.merge(table.resolution.bucketStart(rows.getLong(1)), Aggregate.of(value),
                                Aggregate::merge);
                    }
                }
            }
        }
    }

    /** The highest stored report sequence of the server, 0 if none is stored. */
    public long lastStoredSequence(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT MAX(seq) FROM metric_raw WHERE server_id = ?")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** The samples of the server's newest stored report by collection time, if any. */
    public Optional<LatestSamples> latest(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT ts, seq, samples FROM metric_raw"
                    + " WHERE server_id = ? ORDER BY ts DESC, seq DESC FETCH FIRST 1 ROWS ONLY")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new LatestSamples(Instant.ofEpochMilli(rows.getLong(1)), rows.getLong(2),
                            SampleCodec.decode(rows.getBytes(3))));
                }
            }
        });
    }

    /** How many reports of the server are stored (raw rows). */
    public long countReports(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM metric_raw WHERE server_id = ?")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** Every stored report sequence of the server, ascending (for durability checks; unbounded). */
    public List<Long> storedSequences(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        return Jdbc.withConnection(dataSource, connection -> {
            List<Long> sequences = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT seq FROM metric_raw WHERE server_id = ? ORDER BY seq")) {
                statement.setString(1, serverId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sequences.add(rows.getLong(1));
                    }
                }
            }
            return sequences;
        });
    }

    /** Deletes the server's raw reports and rollups, in bounded chunks. */
    public void deleteServer(String serverId) throws SQLException {
        requireNonNull(serverId, "serverId is null");
        for (String table : List.of("metric_raw", "metric_1m", "metric_1h")) {
            RetentionJob.deleteInChunks(dataSource, dialect, settings.deleteChunkRows(), table, "t.server_id = ?",
                    List.of(serverId));
        }
    }
}
