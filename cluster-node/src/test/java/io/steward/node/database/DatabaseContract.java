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

    /**
     * A pooled connection goes back as its next borrower expects it: after a consistent read (repeatable read, or
     * serializable on H2) and an export's cursor (on H2 also a lazy session), it is again in auto-commit, writable, at
     * READ COMMITTED, and on H2 computes a result before returning it. A pool of one, so each borrow is that very
     * session (checked by its id).
     */
    @Test
    void aPooledConnectionComesBackPlainAfterConsistentReadsAndCursors() throws Exception {
        DatabaseSettings settings = database.settings();
        boolean h2 = settings.kind() == DatabaseSettings.Kind.H2;
        try (Database single = Database.open(
                new DatabaseSettings(settings.jdbcUrl(), settings.user(), settings.password(), 1))) {
            Object session = assertPlain(single, null, h2);

            long versions = Jdbc.readConsistently(single.dataSource(), Connection.TRANSACTION_REPEATABLE_READ,
                    connection -> {
                        assertThat(connection.getTransactionIsolation())
                                .isNotEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                        try (Statement statement = connection.createStatement();
                                ResultSet rows = statement.executeQuery(
                                        "SELECT COUNT(*) FROM steward_schema_version")) {
                            rows.next();
                            return rows.getLong(1);
                        }
                    });
            assertThat(versions).isEqualTo(Migrator.MIGRATIONS.size());
            assertPlain(single, session, h2);

            try (JdbcCursor<Long> cursor = JdbcCursor.open(single.dataSource(),
                    "SELECT version FROM steward_schema_version ORDER BY version", statement -> {},
                    row -> row.getLong(1))) {
                assertThat(cursor.next(2)).contains(List.of(1L, 2L));
            }
            assertPlain(single, session, h2);
        }
    }

    /** Borrows the pool's connection, checks it is plain, and returns its session's id (equal to {@code session}). */
    private static Object assertPlain(Database pool, Object session, boolean h2) throws SQLException {
        try (Connection connection = pool.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            Object id;
            try (ResultSet rows = statement.executeQuery(h2 ? "SELECT SESSION_ID()" : "SELECT pg_backend_pid()")) {
                rows.next();
                id = rows.getObject(1);
            }
            if (session != null) {
                assertThat(id).as("the same pooled session").isEqualTo(session);
            }
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(connection.isReadOnly()).isFalse();
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            if (h2) {
                // Not lazy: the third row's division by zero fails the query before it returns a result.
                assertThatThrownBy(() -> statement.executeQuery("SELECT 1 / (X - 3) FROM SYSTEM_RANGE(1, 5)"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("22012")); // division by zero
            }
            return id;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
