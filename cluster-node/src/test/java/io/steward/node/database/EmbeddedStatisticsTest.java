package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded H2's table statistics: not gathered inside commits, gathered when the node asks, on a real H2 file. */
class EmbeddedStatisticsTest {
    /** H2's selectivity of a column it has no statistics for. */
    private static final int NO_STATISTICS = 50;

    @TempDir
    Path dataDir;

    private Database database;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.h2File(dataDir.toAbsolutePath()));
    }

    @AfterEach
    void close() {
        database.close();
        database.shutdownEmbedded();
    }

    @Test
    void commitsGatherNoStatisticsAndARunGathersThem() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE churn (id INT PRIMARY KEY, kind INT)");
        }
        // 5,000 commits of one row each: H2 with its default would have analyzed the table after the 2,000th.
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO churn VALUES (?, ?)")) {
            for (int id = 0; id < 5_000; id++) {
                insert.setInt(1, id);
                insert.setInt(2, id % 2);
                insert.executeUpdate();
            }
        }
        assertThat(setting("ANALYZE_AUTO")).isEqualTo("0");
        assertThat(selectivity("KIND")).as("after the commits").isEqualTo(NO_STATISTICS);

        EmbeddedStatistics.of(database).orElseThrow().runOnce();

        assertThat(selectivity("KIND")).as("two values in 5,000 rows").isEqualTo(1);
        assertThat(selectivity("ID")).as("all distinct").isEqualTo(100);
    }

    private String setting(String name) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("setting %s", name).isTrue();
                return row.getString(1);
            }
        }
    }

    private int selectivity(String column) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT SELECTIVITY FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE LOWER(TABLE_NAME) = 'churn'"
                        + " AND UPPER(COLUMN_NAME) = ?")) {
            query.setString(1, column);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("column %s", column).isTrue();
                return row.getInt(1);
            }
        }
    }
}
