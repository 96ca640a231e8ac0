package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny versioned schema migrator. Applied versions are recorded with the checksum of their script in
 * {@code steward_schema_version}; pending ones run in order, each in one transaction (PostgreSQL rolls a failed one
 * back completely; H2 commits each DDL statement, which is why the scripts use {@code IF NOT EXISTS} and can be
 * re-run after a half-applied failure). Any SQL error aborts the start with the script and statement named.
 *
 * <p>Nodes starting together on one PostgreSQL database serialise on an advisory lock; H2 is one process (STACK P6),
 * so a JVM-wide lock covers several nodes started by tests.
 */
final class Migrator {
    private static final Logger log = LoggerFactory.getLogger(Migrator.class);

    /**
     * Every migration, oldest first. A script whose SQL differs between the databases has one per dialect under
     * {@code db/<dialect>/}; one that both run unchanged is kept once under {@code db/common/}.
     */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "pekko_persistence_jdbc", true),
            new Migration(2, "steward_tables", true),
            new Migration(3, "alert_rules", false),
            new Migration(4, "notifications", false),
            new Migration(5, "accounts", false),
            new Migration(6, "agent_identity", false),
            new Migration(7, "checks", false),
            new Migration(8, "cluster_events", false),
            new Migration(9, "enrollment_retries", false),
            new Migration(10, "cluster_heartbeats", false),
            new Migration(11, "node_settings", false),
            new Migration(12, "ssh_host_keys", false),
            new Migration(13, "rollup_time_order", false),
            new Migration(14, "metric_chunks", true));

    /** Key of the PostgreSQL advisory lock held while migrating ("Steward" in ASCII). */
    private static final long ADVISORY_LOCK_KEY = 0x5374657761726400L;
    private static final ReentrantLock H2_LOCK = new ReentrantLock();
    private static final String VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS steward_schema_version (
                version INT NOT NULL PRIMARY KEY,
                description VARCHAR(200) NOT NULL,
                checksum VARCHAR(64) NOT NULL,
                applied_at BIGINT NOT NULL
            )""";

    /** @param perDialect whether the script has an H2 and a PostgreSQL version, or one common to both */
    record Migration(int version, String description, boolean perDialect) {
        Migration {
            requireNonNull(description, "description is null");
        }

        String scriptName() {
            return "V" + version + "__" + description + ".sql";
        }

        String resource(DatabaseSettings.Kind kind) {
            return "db/" + (perDialect ? directory(kind) : "common") + "/" + scriptName();
        }
    }

    private final DataSource dataSource;
    private final DatabaseSettings.Kind kind;
    private final List<Migration> migrations;

    Migrator(DataSource dataSource, DatabaseSettings.Kind kind) {
        this(dataSource, kind, MIGRATIONS);
    }

    /** A migrator that knows only {@code migrations}: what an earlier Steward ran (for upgrade tests). */
    Migrator(DataSource dataSource, DatabaseSettings.Kind kind, List<Migration> migrations) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.migrations = List.copyOf(migrations);
    }

    static String directory(DatabaseSettings.Kind kind) {
        return switch (kind) {
            case H2 -> "h2";
            case POSTGRESQL -> "postgresql";
        };
    }

    /** Brings the schema to the newest version; returns how many migrations were applied. */
    int migrate() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            lock(connection);
            Exception failure = null;
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(VERSION_TABLE);
                }
                Map<Integer, String> applied = appliedChecksums(connection);
                verifyApplied(applied);
                int count = 0;
                for (Migration migration : migrations) {
                    if (!applied.containsKey(migration.version())) {
                        apply(connection, migration, SqlScript.load(migration.resource(kind)));
                        count++;
                    }
                }
                return count;
            } catch (SQLException | RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                unlock(connection, failure);
            }
        }
    }

    private void verifyApplied(Map<Integer, String> applied) {
        int newestKnown = migrations.get(migrations.size() - 1).version();
        for (Map.Entry<Integer, String> entry : applied.entrySet()) {
            if (entry.getKey() > newestKnown) {
                throw new IllegalStateException("the database schema is at version " + entry.getKey()
                        + " but this Steward knows versions up to " + newestKnown
                        + ": it was written by a newer Steward; run that version or newer");
            }
        }
        for (Migration migration : migrations) {
            String recorded = applied.get(migration.version());
            if (recorded != null) {
                String expected = SqlScript.load(migration.resource(kind)).checksum();
                if (!recorded.equals(expected)) {
                    throw new IllegalStateException("schema migration " + migration.scriptName()
                            + " was changed after it was applied to this database (checksum " + recorded
                            + ", now " + expected + "); applied migrations must never be edited");
                }
            }
        }
    }

    private static Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM steward_schema_version")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    private static void apply(Connection connection, Migration migration, SqlScript script) throws SQLException {
        long started = System.nanoTime();
        connection.setAutoCommit(false);
        try {
            List<String> statements = script.statements();
            for (int i = 0; i < statements.size(); i++) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(statements.get(i));
                } catch (SQLException e) {
                    throw new SQLException("schema migration " + script.name() + " failed at statement " + (i + 1)
                            + " [" + firstLine(statements.get(i)) + "]: " + e.getMessage(), e.getSQLState(), e);
                }
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO steward_schema_version (version, description, checksum, applied_at)"
                            + " VALUES (?, ?, ?, ?)")) {
                record.setInt(1, migration.version());
                record.setString(2, migration.description());
                record.setString(3, script.checksum());
                record.setLong(4, System.currentTimeMillis());
                record.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        log.info("Applied schema migration [{}] in [{}] ms", script.name(), (System.nanoTime() - started) / 1_000_000);
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String firstLine(String statement) {
        int newline = statement.indexOf('\n');
        return newline < 0 ? statement : statement.substring(0, newline) + " ...";
    }

    private void lock(Connection connection) throws SQLException {
        switch (kind) {
            case H2 -> H2_LOCK.lock();
            case POSTGRESQL -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    statement.setLong(1, ADVISORY_LOCK_KEY);
                    statement.execute();
                }
            }
        }
    }

    /** Releases the lock; a failure to do so is added to {@code failure} rather than hiding it. */
    private void unlock(Connection connection, Exception failure) throws SQLException {
        switch (kind) {
            case H2 -> H2_LOCK.unlock();
            case POSTGRESQL -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    statement.setLong(1, ADVISORY_LOCK_KEY);
                    statement.execute();
                } catch (SQLException e) {
                    // The session lock dies with the connection anyway; never let this mask the real failure.
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
