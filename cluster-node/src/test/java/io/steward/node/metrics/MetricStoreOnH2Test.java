package io.steward.node.metrics;

import io.steward.node.database.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The metric store contract on embedded H2, a new database file per test. */
class MetricStoreOnH2Test extends MetricStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected DatabaseSettings newDatabase() {
        return DatabaseSettings.h2File(dataDir.toAbsolutePath());
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
