package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The embedded H2's table statistics (the selectivity its query planner uses), gathered by the node. H2 would gather
 * them itself inside a commit (after 2,000 changed rows of a table, then at doubling intervals); that read registers
 * no version, so a compaction round ({@link EmbeddedCompaction}) could free the chunks it was reading and fail the
 * writer's commit with "Chunk ... not found" (seen in {@code EmbeddedCompactionTest}). The node opens H2 with that
 * off ({@link DatabaseSettings}) and runs {@code ANALYZE} here instead, on a timer: as a statement, its read holds
 * its version until it ends. Off ({@code h2-analyze-interval = 0}), H2 has no statistics at all.
 */
public final class EmbeddedStatistics {
    /** Rows read per table, as H2 read itself inside a commit (a metric_chunk row holds ~32 KB: 10,000 = ~300 MB). */
    static final String ANALYZE = "ANALYZE SAMPLE_SIZE 1000";

    private final DataSource dataSource;

    private EmbeddedStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Statistics for {@code database} when it is embedded H2; empty for PostgreSQL (its autovacuum analyzes). */
    public static Optional<EmbeddedStatistics> of(Database database) {
        requireNonNull(database, "database is null");
        return database.kind() == DatabaseSettings.Kind.H2
                ? Optional.of(new EmbeddedStatistics(database.dataSource()))
                : Optional.empty();
    }

    /** Samples every table (blocking). */
    public void runOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(ANALYZE);
        }
    }
}
