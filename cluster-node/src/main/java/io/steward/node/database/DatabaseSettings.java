package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Steward's database is and how many connections the node may hold to it. Only embedded H2 (single node) and
 * PostgreSQL (production, several nodes) are supported; {@link #kind()} is derived from the URL.
 *
 * @param connectionTimeout how long a caller waits for a pooled connection before failing (HikariCP's default of
 *     30 s, and the persistence plugin's 3 min, would stall ingest and health checks during an outage)
 */
public record DatabaseSettings(
        String jdbcUrl, String user, String password, int maxConnections, Duration connectionTimeout) {
    /** Connection wait used unless one is given. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** HikariCP refuses connection timeouts below 250 ms. */
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final int H2_MAX_CONNECTIONS = 8;
    /** H2's auto-analyze setting in a URL (settings follow a semicolon); its value in group 1. */
    private static final Pattern ANALYZE_AUTO = Pattern.compile(";ANALYZE_AUTO=([^;]*)", Pattern.CASE_INSENSITIVE);

    /** The database products Steward speaks to. */
    public enum Kind {
        H2,
        POSTGRESQL
    }

    public DatabaseSettings {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            // A URL given in the config gets the same guard as the default one (see h2File).
            jdbcUrl = jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        if (jdbcUrl.startsWith("jdbc:h2:") && !ANALYZE_AUTO.matcher(jdbcUrl).find()) {
            // H2 gathers table statistics inside a commit (after 2,000 changed rows of a table, then at doubling
            // intervals), with a read that does not register the version it reads; a compaction round
            // (EmbeddedCompaction) can free the chunks under it ("Chunk ... not found", in that writer's commit). The
            // node runs ANALYZE itself, as a statement (EmbeddedStatistics).
            jdbcUrl = jdbcUrl + ";ANALYZE_AUTO=0";
        }
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(connectionTimeout, "connectionTimeout is null");
        kindOf(jdbcUrl);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was " + connectionTimeout);
        }
    }

    /** Settings with the default connection timeout. */
    public DatabaseSettings(String jdbcUrl, String user, String password, int maxConnections) {
        this(jdbcUrl, user, password, maxConnections, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * The embedded H2 file database {@code <dataDir>/steward}. {@code DATABASE_TO_UPPER=FALSE} keeps the persistence
     * plugin's quoted lower-case tables and its unquoted durable-state SQL pointing at the same names (STACK P4).
     */
    public static DatabaseSettings h2File(Path dataDir) {
        requireNonNull(dataDir, "dataDir is null");
        if (!dataDir.isAbsolute()) {
            // H2 refuses implicitly relative file URLs (STACK P6).
            throw new IllegalArgumentException("the H2 data directory must be an absolute path: " + dataDir);
        }
        // DB_CLOSE_ON_EXIT=FALSE: H2's own JVM shutdown hook would close the database under the node's orderly stop
        // (the journal and the metric writer still flushing); the node shuts it down itself, last.
        String url = "jdbc:h2:file:" + dataDir.resolve("steward")
                + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;DATABASE_TO_UPPER=FALSE";
        return new DatabaseSettings(url, "sa", "", H2_MAX_CONNECTIONS);
    }

    public Kind kind() {
        return kindOf(jdbcUrl);
    }

    /**
     * Whether H2 gathers statistics inside commits: a configured URL that sets {@code ANALYZE_AUTO} to other than 0
     * (the node adds 0 otherwise). Compaction rounds beside it risk a writer's commit (the node warns).
     */
    public boolean h2AnalyzesInCommits() {
        Matcher setting = ANALYZE_AUTO.matcher(jdbcUrl);
        return kind() == Kind.H2 && setting.find() && !setting.group(1).strip().equals("0");
    }

    /** A copy waiting at most {@code timeout} for a connection. */
    public DatabaseSettings withConnectionTimeout(Duration timeout) {
        return new DatabaseSettings(jdbcUrl, user, password, maxConnections, timeout);
    }

    private static Kind kindOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return Kind.H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL '" + redact(jdbcUrl)
                + "': Steward supports PostgreSQL (jdbc:postgresql://host:5432/database) and embedded H2 (jdbc:h2:...)");
    }

    /** The URL without its query string, which may carry a password. */
    private static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user + ", maxConnections=" + maxConnections
                + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
