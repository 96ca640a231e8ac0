package io.steward.node.metrics;

import io.steward.node.database.DatabaseSettings;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric store contract on embedded H2, a new database file per test. */
class MetricStoreOnH2Test extends MetricStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected DatabaseSettings newDatabase() {
        return DatabaseSettings.h2File(dataDir.toAbsolutePath());
    }

    /**
     * H2 sorts a result whose ORDER BY does not start at an index's first column, however its WHERE fixes that
     * column: for an export of a year of hourly rows of 602 series that sort took over two minutes before the first
     * row (export-bench.sh), and the download was cut by the HTTP idle timeout.
     */
    @Test
    void exportReadsEveryTierInIndexOrderWithoutSortingTheRange() throws SQLException {
        assertThat(plan(MetricExportReads.RAW_SQL, 3)).contains("metric_raw_server_ts_idx").contains("index sorted");
        for (StoreDialect.RollupTable table : StoreDialect.RollupTable.values()) {
            assertThat(plan(MetricExportReads.rollupSql(table, false), 3))
                    .contains(table.table + "_server_bucket_idx").contains("index sorted");
        }
    }

    private String plan(String sql, int parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
            explain.setString(1, "server-1");
            for (int parameter = 2; parameter <= parameters; parameter++) {
                explain.setLong(parameter, parameter);
            }
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        }
    }

    /** DB_CLOSE_DELAY=-1 keeps each test's database open in this JVM until told to shut down. */
    @Override
    protected void afterClose(DatabaseSettings settings) {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password());
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot shut the test database down", e);
        }
    }
}
