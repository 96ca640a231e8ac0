package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Rows and bytes each metric tier takes in the database, approximately. PostgreSQL: the planner's row estimate
 * ({@code pg_class.reltuples}; an exact count for a table never analysed) and {@code pg_total_relation_size} (table,
 * indexes and TOAST). H2: an exact row count (H2 keeps it, no scan) and {@code DISK_SPACE_USED} (the table's pages in
 * the file, indexes included). Blocking JDBC.
 */
public final class StorageUsage {
    /** One tier's table. */
    public record TierUsage(String tier, String table, long rows, long bytes) {}

    /** Every tier, and how the figures were obtained (shown beside them). */
    public record Usage(String method, List<TierUsage> tiers) {}

    private static final List<String[]> TIERS = List.of(
            new String[] {"raw", "metric_raw"},
            new String[] {"one-minute", "metric_1m"},
            new String[] {"one-hour", "metric_1h"});

    private final DataSource dataSource;
    private final DatabaseSettings.Kind kind;

    public StorageUsage(Database database) {
        requireNonNull(database, "database is null");
        this.dataSource = database.dataSource();
        this.kind = database.kind();
    }

    public Usage measure() throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            List<TierUsage> tiers = new ArrayList<>();
            for (String[] tier : TIERS) {
                TierUsage usage = measure(connection, tier[0], tier[1]);
                if (tier[1].equals("metric_raw")) {
                    // The raw tier is the tail plus the packed chunks; it counts reports, packed or not.
                    TierUsage chunks = measure(connection, tier[0], "metric_chunk");
                    usage = new TierUsage(tier[0], "metric_raw, metric_chunk",
                            usage.rows() + packedReports(connection), usage.bytes() + chunks.bytes());
                }
                tiers.add(usage);
            }
            String method = switch (kind) {
                case H2 -> "H2: exact row counts; bytes from DISK_SPACE_USED (pages of the table and its indexes,"
                        + " approximate)";
                case POSTGRESQL -> "PostgreSQL: rows estimated by the planner (pg_class.reltuples); bytes from"
                        + " pg_total_relation_size (table, indexes, TOAST)";
            };
            return new Usage(method, List.copyOf(tiers));
        });
    }

    private TierUsage measure(Connection connection, String tier, String table) throws SQLException {
        return switch (kind) {
            case H2 -> new TierUsage(tier, table, exactRows(connection, table),
                    single(connection, "SELECT DISK_SPACE_USED(?)", table));
            case POSTGRESQL -> new TierUsage(tier, table, postgresRows(connection, table),
                    single(connection, "SELECT pg_total_relation_size(CAST(? AS regclass))", table));
        };
    }

    /** Reports packed in chunks: an exact sum, cheap as chunks are few (one per server and window). */
    private static long packedReports(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COALESCE(SUM(report_count), 0) FROM metric_chunk");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long postgresRows(Connection connection, String table) throws SQLException {
        long estimate = single(connection, "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = CAST(? AS"
                + " regclass)", table);
        return estimate >= 0 ? estimate : exactRows(connection, table); // -1: never vacuumed or analysed
    }

    private static long exactRows(Connection connection, String table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long single(Connection connection, String sql, String table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}
