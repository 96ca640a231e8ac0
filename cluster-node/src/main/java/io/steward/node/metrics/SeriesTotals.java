package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Sums and counts of one series over long ranges, read from the rollup tiers in one query each: what an uptime
 * (the average of a 1/0 series) needs without reading every point. The rollup job folds raw rows in every
 * {@code rollup-interval}, so the newest half-minute may be missing — nothing an uptime percentage notices.
 */
public final class SeriesTotals {
    private final DataSource dataSource;

    /** A series' sum and sample count over a range; the average is {@code sum / count}. */
    public record Total(double sum, long count) {
        public static final Total NONE = new Total(0, 0);

        public Total plus(Total other) {
            return new Total(sum + other.sum, count + other.count);
        }

        /** The average, or null when nothing was counted. */
        public Double average() {
            return count == 0 ? null : sum / count;
        }
    }

    public SeriesTotals(Database database) {
        this.dataSource = requireNonNull(database, "database is null").dataSource();
    }

    /**
     * The series' total between {@code from} and {@code to}: from the one-minute tier for up to two days, beyond that
     * from the one-hour tier (24 rows a day instead of 1,440; buckets that only partly overlap the range count whole).
     */
    public Total total(String subject, String series, Instant from, Instant to) throws SQLException {
        String table = java.time.Duration.between(from, to).compareTo(java.time.Duration.ofDays(2)) <= 0
                ? "metric_1m" : "metric_1h";
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_READ_COMMITTED, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT SUM(sum_value),"
                    + " SUM(sample_count) FROM " + table + " WHERE server_id = ? AND series = ? AND bucket >= ?"
                    + " AND bucket <= ?")) {
                statement.setString(1, subject);
                statement.setString(2, series);
                statement.setLong(3, from.toEpochMilli());
                statement.setLong(4, to.toEpochMilli());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? new Total(rows.getDouble(1), rows.getLong(2)) : Total.NONE;
                }
            }
        });
    }

    /** The series' totals per UTC day between {@code from} and {@code to}, from the one-hour tier. */
    public Map<LocalDate, Total> daily(String subject, String series, Instant from, Instant to) throws SQLException {
        return Jdbc.readConsistently(dataSource, Connection.TRANSACTION_READ_COMMITTED, connection -> {
            Map<LocalDate, Total> days = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT bucket, sum_value, sample_count"
                    + " FROM metric_1h WHERE server_id = ? AND series = ? AND bucket >= ? AND bucket <= ?")) {
                statement.setString(1, subject);
                statement.setString(2, series);
                statement.setLong(3, from.toEpochMilli());
                statement.setLong(4, to.toEpochMilli());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        LocalDate day = Instant.ofEpochMilli(rows.getLong(1)).atOffset(ZoneOffset.UTC).toLocalDate();
                        days.merge(day, new Total(rows.getDouble(2), rows.getLong(3)), Total::plus);
                    }
                }
            }
            return days;
        });
    }
}
