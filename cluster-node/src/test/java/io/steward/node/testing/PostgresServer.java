package io.steward.node.testing;

import io.steward.core.testing.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 server for tests: Debian's binaries, a fresh cluster in a temporary directory, a free
 * loopback port, trust authentication and {@code fsync=off} (STACK §9). Start one per test class (about 1–1.5 s)
 * and make a database per test with {@link #createDatabase()}. {@link #stop()} and {@link #startAgain()} simulate an
 * outage on the same port and data; {@link #close()} stops it and deletes everything.
 *
 * <p>initdb refuses to run as root, so as root the directory is given to the {@code postgres} user and every
 * server command runs through {@code runuser -u postgres --}.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String USER = "steward";
    /** Ignored by trust authentication; given so callers can pass a password like in production. */
    private static final String PASSWORD = "steward";
    private static final String SYSTEM_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path directory;
    private final Path dataDirectory;
    private final int port;
    private final boolean asRoot;
    private final Thread shutdownHook;
    private boolean running;

    private PostgresServer(Path directory, int port, boolean asRoot) {
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.port = port;
        this.asRoot = asRoot;
        this.shutdownHook = new Thread(this::stopAndDelete, "postgres-test-server-stop");
    }

    /** Creates and starts a server with one empty database, {@code steward}. */
    public static PostgresServer start() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            throw new IllegalStateException("PostgreSQL 15 server binaries are missing from " + BIN
                    + ": these tests need a real PostgreSQL; install it with `apt-get install postgresql`"
                    + " (Debian 12 package postgresql-15)");
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path directory;
        try {
            directory = Files.createTempDirectory("steward-pg-");
            if (asRoot) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SYSTEM_USER);
                Files.setOwner(directory, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for PostgreSQL", e);
        }
        PostgresServer server = new PostgresServer(directory, FreePort.find(), asRoot);
        try {
            server.run(BIN.resolve("initdb").toString(), "-D", server.dataDirectory.toString(), "-A", "trust",
                    "-U", USER, "-E", "UTF8", "--no-sync");
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.launch();
            server.createDatabase("steward");
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Starts the (stopped) server again on the same port and data. */
    public synchronized void startAgain() {
        launch();
    }

    private void launch() {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-w", "-t", "30",
                "-l", directory.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c full_page_writes=off -c synchronous_commit=off",
                "start");
        running = true;
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping its data for {@link #startAgain()}. */
    public synchronized void stop() {
        if (running) {
            run(BIN.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop");
            running = false;
        }
    }

    /** Creates a new empty database and returns its name. */
    public String createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        createDatabase(name);
        return name;
    }

    private void createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** URL of the {@code steward} database. */
    public String jdbcUrl() {
        return jdbcUrl("steward");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // The hook is running or was never added: it does the same work.
        }
        stopAndDelete();
    }

    /** Also run by the shutdown hook, so a killed test run leaves no server or directory behind. */
    private void stopAndDelete() {
        try {
            stopQuietly();
        } finally {
            deleteRecursively(directory);
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL server in " + directory + ": " + e.getMessage());
        }
    }

    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (asRoot) {
            line.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        line.addAll(List.of(command));
        Path output = directory.resolve("command.out");
        try {
            Process process = new ProcessBuilder(line)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + COMMAND_TIMEOUT_SECONDS + " s: "
                        + String.join(" ", line) + "\n" + readQuietly(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit code " + process.exitValue() + ": " + String.join(" ", line)
                        + "\n" + readQuietly(output) + "\n" + readQuietly(directory.resolve("postgres.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", line), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", line), e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e.getMessage());
        }
    }
}
