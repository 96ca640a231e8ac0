package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steward's connection pool (HikariCP) on H2 or PostgreSQL, and the owner of the schema ({@link #migrate()}).
 * Every method blocks: call them from a blocking executor, never from a Pekko dispatcher.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);

    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    /** Runs reachability probes so {@link #isReachable} can give up on time while a probe waits for the pool. */
    private final ExecutorService probeExecutor;
    private CompletableFuture<Boolean> probe;

    private Database(DatabaseSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.probeExecutor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "steward-db-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the pool and one connection, so a wrong URL or password fails here, at start. */
    public static Database open(DatabaseSettings settings) {
        requireNonNull(settings, "settings is null");
        HikariConfig config = new HikariConfig();
        config.setPoolName("steward-db");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setDriverClassName(switch (settings.kind()) {
            case H2 -> "org.h2.Driver";
            case POSTGRESQL -> "org.postgresql.Driver";
        });
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(Math.min(2, settings.maxConnections()));
        long timeoutMillis = settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(timeoutMillis, MAX_VALIDATION_TIMEOUT.toMillis()));
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the database " + settings + ": " + e.getMessage(), e);
        }
        if (settings.kind() == DatabaseSettings.Kind.H2) {
            try {
                writeCommitsAtOnce(dataSource);
            } catch (SQLException | RuntimeException e) {
                dataSource.close();
                throw new IllegalStateException("cannot configure the H2 database " + settings + ": "
                        + e.getMessage(), e);
            }
        }
        return new Database(settings, dataSource);
    }

    /**
     * Makes H2 hand every commit to the operating system before the commit returns. By default H2 writes commits
     * in the background up to 500 ms later, so a killed process loses transactions it had acknowledged (measured:
     * of 3,000 committed reports, 490 to 1,310 survived a SIGKILL) and an agent would already have dropped them
     * from its spool. Costs about 0.5 ms per commit, which batching amortises. The setting is database-wide and
     * persistent, so it covers the persistence plugin's own pool as well. (Still no fsync: a power cut can lose
     * recent commits; production clusters use PostgreSQL.) It also stops H2's background housekeeping, so the node
     * compacts the file itself ({@link EmbeddedCompaction}).
     */
    private static void writeCommitsAtOnce(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseSettings.Kind kind() {
        return settings.kind();
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** The schema version {@link #migrate()} brings a database to. */
    public static int latestSchemaVersion() {
        return Migrator.MIGRATIONS.get(Migrator.MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the schema to the newest version (see {@link Migrator}); idempotent, and run by every node at start.
     *
     * @return the number of migrations applied now
     * @throws SQLException naming the script and statement that failed
     * @throws IllegalStateException if the database was migrated by a newer Steward or an applied script changed
     */
    public int migrate() throws SQLException {
        return new Migrator(dataSource, settings.kind()).migrate();
    }

    /**
     * Whether a pooled connection answers a validity check within {@code timeout} (for health checks). A probe that
     * outlives the timeout keeps running, bounded by the pool's connection timeout, and later calls share it
     * instead of piling up behind it.
     */
    public boolean isReachable(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        CompletableFuture<Boolean> running;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                try {
                    probe = CompletableFuture.supplyAsync(this::probeOnce, probeExecutor);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return false;
                }
            }
            running = probe;
        }
        try {
            return running.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean probeOnce() {
        try (Connection connection = dataSource.getConnection()) {
            int seconds = (int) Math.max(1, settings.connectionTimeout().toSeconds());
            return connection.isValid(seconds);
        } catch (SQLException | RuntimeException e) {
            log.debug("Database probe failed", e);
            return false;
        }
    }

    /** Closes the pool. H2 keeps the database open in this JVM ({@code DB_CLOSE_DELAY=-1}) for other pools on it. */
    @Override
    public void close() {
        probeExecutor.shutdownNow();
        dataSource.close();
    }

    /**
     * Closes an embedded H2 database for good (its files are then consistent, compacted on the next start): the last
     * thing a node process does, once every pool on it is closed. Nothing for PostgreSQL.
     */
    public void shutdownEmbedded() {
        if (settings.kind() != DatabaseSettings.Kind.H2) {
            return;
        }
        try (Connection connection = java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password());
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            log.warn("Could not shut the embedded database down cleanly; it recovers at the next start", e);
        }
    }
}
