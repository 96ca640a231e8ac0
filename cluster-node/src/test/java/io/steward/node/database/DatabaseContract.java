package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared database's contract (pool, versioned schema, the persistence plugin's tables), run against real
 * databases: each subclass provides a fresh, empty database per test (H2 in a temporary directory, PostgreSQL on a
 * throwaway server).
 */
abstract class DatabaseContract {
    protected Database database;

    /** A new, empty database for one test. */
    protected abstract DatabaseSettings newDatabase();

    /** Releases what {@link #newDatabase()} holds beyond the pool (H2 shuts its file down). */
    protected void afterClose(DatabaseSettings settings) {}

    @BeforeEach
    void openDatabase() throws SQLException {
        database = Database.open(newDatabase());
        assertThat(database.migrate()).isEqualTo(Migrator.MIGRATIONS.size());
    }

    @AfterEach
    void closeDatabase() {
        DatabaseSettings settings = database.settings();
        database.close();
        afterClose(settings);
    }


    @Test
    void migrationsAreIdempotentAndCreateEveryTable() throws Exception {
        assertThat(database.migrate()).isZero();
        assertThat(database.migrate()).isZero();

        assertThat(queryLongs("SELECT version FROM steward_schema_version ORDER BY version")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        for (String table : List.of("event_journal", "event_tag", "snapshot", "durable_state", "metric_raw",
                "metric_1m", "metric_1h", "rollup_progress", "users", "sessions", "enrollment_tokens",
                "agent_credentials", "servers", "alert_rules", "steward_flags", "steward_offsets", "alert_episodes",
                "alert_silences", "notification_channels", "notification_outbox", "notification_attempts",
                "inbox_items", "inbox_reads", "api_tokens", "password_resets", "audit_log", "cluster_events",
                "node_settings", "ssh_host_keys", "metric_chunk")) {
            assertThat(queryLongs("SELECT COUNT(*) FROM " + table)).as(table).containsExactly(0L);
        }
    }

    @Test
    void migrationRefusesAnEditedScriptOrANewerSchema() throws Exception {
        execute("UPDATE steward_schema_version SET checksum = 'edited' WHERE version = 2");
        assertThatThrownBy(database::migrate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("V2__steward_tables.sql was changed after it was applied");

        execute("UPDATE steward_schema_version SET checksum = '" + SqlScript.load(
                Migrator.MIGRATIONS.get(1).resource(database.kind())).checksum() + "' WHERE version = 2");
        execute("INSERT INTO steward_schema_version (version, description, checksum, applied_at)"
                + " VALUES (99, 'future', 'x', 0)");
        assertThatThrownBy(database::migrate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema is at version 99");
    }

    @Test
    void thePersistencePluginRecoversEventsSnapshotsAndDurableStateFromTheMigratedSchema() throws Exception {
        PersistencePluginSchemaCheck.writeAndRecover(database.settings());

        assertThat(queryLongs("SELECT COUNT(*) FROM event_journal")).containsExactly(3L);
        assertThat(queryLongs("SELECT COUNT(*) FROM event_tag")).containsExactly(3L);
        assertThat(queryLongs("SELECT COUNT(*) FROM snapshot")).containsExactly(1L);
        assertThat(queryLongs("SELECT revision FROM durable_state")).containsExactly(3L);
    }

    @Test
    void reportsReachabilityForHealthChecks() {
        assertThat(database.isReachable(Duration.ofSeconds(5))).isTrue();
    }

    List<Long> queryLongs(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        }
        return values;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
