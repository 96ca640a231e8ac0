package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2's file compaction while the database stays open, on a real H2 file full of deleted rows. */
class EmbeddedCompactionTest {
    private static final int ROWS = 5_000;

    @TempDir
    Path dataDir;

    private DatabaseSettings settings;
    private Database database;

    @BeforeEach
    void open() {
        settings = DatabaseSettings.h2File(dataDir.toAbsolutePath());
        database = Database.open(settings);
    }

    @AfterEach
    void close() {
        database.close();
        database.shutdownEmbedded();
    }

    @Test
    void shrinksTheFileWhileOpenAndKeepsTheRowsAndTheRetentionTime() throws Exception {
        execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(2000))");
        // What the metric store does all day: rows in, one commit each (WRITE_DELAY 0), most of them deleted.
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO churn VALUES (?, ?)")) {
            for (int id = 0; id < ROWS; id++) {
                insert.setInt(1, id);
                insert.setString(2, String.format("%05d", id).repeat(200)); // 1,000 characters
                insert.executeUpdate();
            }
        }
        execute("DELETE FROM churn WHERE id >= 100");
        // A later version: H2 frees the chunks the delete emptied only once one is stored. On a node every report is
        // one, and a quiet node's own statistics run (every 10 minutes) is one too; before ANALYZE_AUTO=0, H2's
        // statistics commit after the delete was.
        EmbeddedStatistics.of(database).orElseThrow().runOnce();
        int retention = retentionTime();
        long grown = Files.size(dataDir.resolve("steward.mv.db"));
        EmbeddedCompaction compaction = EmbeddedCompaction.of(database, Duration.ofMillis(1)).orElseThrow();

        EmbeddedCompaction.Result first = compaction.runOnce().orElseThrow();
        assertThat(first.bytesBefore()).isEqualTo(grown);
        long compacted = first.bytesAfter();
        // A 1 ms budget: one round each (16 MiB at most each way); the node repeats them every interval.
        for (int step = 0; step < 500 && compacted >= grown / 4; step++) {
            compacted = compaction.runOnce().orElseThrow().bytesAfter();
        }

        assertThat(compacted).as("file after compaction, was %d bytes", grown).isLessThan(grown / 4)
                .isEqualTo(Files.size(dataDir.resolve("steward.mv.db")));
        assertThat(retentionTime()).as("H2's retention time, put back").isEqualTo(retention).isEqualTo(45_000);
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*), SUM(id) FROM churn")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(100);
            assertThat(rows.getLong(2)).isEqualTo(99 * 100 / 2);
        }
        execute("INSERT INTO churn VALUES (" + ROWS + ", 'after')"); // the store still takes writes
    }

    /**
     * Rounds while two writers commit (each commit waits for a round, a round for the commits): no write lost, no
     * deadlock, and the file reopens with every committed row.
     */
    @Test
    void roundsBesideCommittingWritersLoseNothing() throws Exception {
        execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(2000))");
        EmbeddedCompaction compaction = EmbeddedCompaction.of(database, Duration.ofMillis(1)).orElseThrow();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> kept = new ArrayList<>();
        for (int writer = 0; writer < 2; writer++) {
            int first = writer * 1_000_000;
            kept.add(writers.submit(() -> {
                int id = first;
                try (Connection connection = database.dataSource().getConnection();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO churn VALUES (?, ?)");
                        PreparedStatement delete = connection.prepareStatement("DELETE FROM churn WHERE id = ?")) {
                    while (writing.get() || id < first + 2_000) {
                        insert.setInt(1, id);
                        insert.setString(2, String.format("%07d", id).repeat(140));
                        insert.executeUpdate();
                        if (id % 10 != 0) { // keep one row in ten, as the store keeps chunks and deletes raw rows
                            delete.setInt(1, id);
                            delete.executeUpdate();
                        }
                        id++;
                    }
                }
                return (id - first + 9) / 10;
            }));
        }
        int rounds = 0;
        for (long end = System.nanoTime() + Duration.ofSeconds(3).toNanos(); System.nanoTime() < end; rounds++) {
            compaction.runOnce().orElseThrow();
        }
        writing.set(false);
        writers.shutdown();
        int expected = 0;
        for (Future<Integer> writer : kept) {
            expected += writer.get(60, TimeUnit.SECONDS);
        }
        assertThat(rounds).isPositive();
        assertThat(rowCount()).isEqualTo(expected);

        database.close();
        database.shutdownEmbedded();
        database = Database.open(settings); // the file as the rounds and the writers left it on disk

        assertThat(rowCount()).isEqualTo(expected);
        assertThat(retentionTime()).isEqualTo(45_000);
    }

    /**
     * An export's cursor read at the client's pace, with rounds and deletes between its batches: every row it started
     * with arrives (H2 lets go of a lazy result's version when the statement ends, unless the read is repeatable).
     */
    @Test
    void aCursorReadBesideRoundsReadsEveryRowItStartedWith() throws Exception {
        execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(2000))");
        churn(0, 20_000); // 2,000 rows left, spread over many chunks
        EmbeddedCompaction compaction = EmbeddedCompaction.of(database, Duration.ofMillis(50)).orElseThrow();
        int read = 0;
        try (JdbcCursor<Integer> cursor = JdbcCursor.open(database.dataSource(), "SELECT id FROM churn ORDER BY id",
                statement -> { }, row -> row.getInt(1))) {
            read += cursor.next(10).orElseThrow().size();
            // While the client waits: the rows are deleted, more reports churn through, and rounds rewrite the chunks.
            execute("DELETE FROM churn");
            churn(1_000_000, 5_000);
            for (int round = 0; round < 20; round++) {
                compaction.runOnce().orElseThrow();
            }
            for (Optional<List<Integer>> batch = cursor.next(500); batch.isPresent(); batch = cursor.next(500)) {
                read += batch.get().size();
            }
        }
        assertThat(read).isEqualTo(2_000);
    }

    /** Paced rounds: skipped while the file has not grown by the threshold since the last one, run once it has. */
    @Test
    void aPacedRoundWaitsForTheFileToGrow() throws Exception {
        execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(2000))");
        long growth = 2L * 1024 * 1024;
        EmbeddedCompaction compaction = EmbeddedCompaction.of(database, Duration.ofMillis(100),
                new CompactionPacing(growth)).orElseThrow();
        int nextId = churn(0, 2_000);

        assertThat(compaction.runOnce().orElseThrow().compacted()).as("the first round").isTrue();
        EmbeddedCompaction.Result skipped = null;
        for (int round = 0; round < 100 && skipped == null; round++) { // rounds that free the threshold go on
            EmbeddedCompaction.Result result = compaction.runOnce().orElseThrow();
            if (!result.compacted()) {
                skipped = result;
            }
        }
        assertThat(skipped).as("a round skipped once the file stopped shrinking").isNotNull();
        long left = skipped.bytesBefore();
        assertThat(skipped.bytesAfter()).isEqualTo(left).isEqualTo(fileSize());
        assertThat(skipped.took()).isZero();

        for (int batch = 0; batch < 200 && fileSize() < left + growth; batch++) {
            nextId = churn(nextId, 500);
        }
        assertThat(fileSize()).as("the file after more churn").isGreaterThanOrEqualTo(left + growth);
        EmbeddedCompaction.Result grown = compaction.runOnce().orElseThrow();

        assertThat(grown.compacted()).as("a round once the file grew by %d bytes", growth).isTrue();
        assertThat(grown.bytesBefore()).isGreaterThanOrEqualTo(left + growth);
        assertThat(grown.bytesAfter()).isLessThan(grown.bytesBefore());
    }

    @Test
    void refusesABudgetOutsideItsBounds() {
        assertThatThrownBy(() -> EmbeddedCompaction.of(database, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
        assertThatThrownBy(() -> EmbeddedCompaction.of(database, Duration.ofMillis(1_001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }

    /** Inserts {@code count} rows of 1,000 characters from {@code first}, one commit each, and deletes nine in ten. */
    private int churn(int first, int count) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO churn VALUES (?, ?)");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM churn WHERE id = ?")) {
            for (int id = first; id < first + count; id++) {
                insert.setInt(1, id);
                insert.setString(2, String.format("%05d", id % 100_000).repeat(200));
                insert.executeUpdate();
                if (id % 10 != 0) {
                    delete.setInt(1, id);
                    delete.executeUpdate();
                }
            }
        }
        return first + count;
    }

    private long fileSize() throws java.io.IOException {
        return Files.size(dataDir.resolve("steward.mv.db"));
    }

    private int rowCount() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM churn")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private int retentionTime() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'RETENTION_TIME'")) {
            assertThat(rows.next()).isTrue();
            return Integer.parseInt(rows.getString(1));
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
