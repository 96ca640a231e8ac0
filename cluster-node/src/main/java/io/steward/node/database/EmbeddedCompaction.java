package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * Gives the embedded H2 file back the space its dead rows hold, while the node runs (issue 16).
 *
 * <p>The node sets {@code WRITE_DELAY 0} so that an acknowledged report is on disk ({@link Database}); in H2 2.x that
 * also stops the store's background thread, and with it all of H2's own housekeeping. Under the metric store's steady
 * insert-and-delete (raw rows in, packed into chunks and deleted every rollup run) the file then only grows:
 * measured, ~0.4 MiB/s with 200 servers reporting every second (2.4 GB after an hour for ~75 MB of live tables),
 * given back only by an offline {@code SHUTDOWN COMPACT}. Each {@link #runOnce} runs H2's own file compaction (what it
 * does on close): rounds of rewriting the sparsest chunks' live pages (16 MiB at most), a sync, moving chunks from the
 * file's end into the space that freed and cutting the end off, while the budget lasts — one round at least, which
 * under load takes longer than a small budget (measured 0.2–1 s at 200 reports/s). Commits wait for it.
 *
 * <p>H2 overwrites old chunks only after a sync, and sets the retention time (dead chunks kept against a power cut)
 * to 0 for the round. The whole run holds H2's store lock, so no commit stores a chunk while the retention time is 0:
 * the commits queued behind it find it put back. Smaller steps of H2's public compaction methods were tried first and
 * moved nothing under load: with the retention time kept, the file's end is always chunks too young to move past, and
 * a step smaller than H2's largest chunk moves none. There is no SQL for this: it reaches H2's store through
 * {@code JdbcConnection.getSession()}, public methods of H2's engine pinned by the project's H2 version and covered by
 * {@code EmbeddedCompactionTest}.
 *
 * <p>A round runs only when {@link CompactionPacing} says it has something to give back; its writes are not free.
 */
public final class EmbeddedCompaction {
    /** The longest budget: every commit waits for a run, and so does the node's shutdown. */
    private static final Duration MAX_BUDGET = Duration.ofSeconds(1);
    /** A round may grow the file by up to 16 MiB before it shrinks it; a full disk there shuts H2's store down. */
    static final long MIN_FREE_DISK_BYTES = 64L * 1024 * 1024;

    private final DataSource dataSource;
    private final int budgetMillis;
    private final CompactionPacing pacing;
    /** Guarded by {@code this}: runs are serial anyway (each holds H2's store lock). */
    private CompactionPacing.LastRound lastRound = CompactionPacing.LastRound.NONE;

    /**
     * What one run found and left: the file's size before and after, the time it took (waiting for the store
     * included), and whether a round ran: not when none was due ({@link CompactionPacing}) or free disk was short.
     */
    public record Result(long bytesBefore, long bytesAfter, Duration took, boolean compacted) {
        static Result skipped(long size) {
            return new Result(size, size, Duration.ZERO, false);
        }

        public long bytesFreed() {
            return Math.max(0, bytesBefore - bytesAfter);
        }
    }

    private EmbeddedCompaction(DataSource dataSource, int budgetMillis, CompactionPacing pacing) {
        this.dataSource = dataSource;
        this.budgetMillis = budgetMillis;
        this.pacing = pacing;
    }

    /**
     * A compaction for {@code database}'s file when it is embedded H2, with a round every time it is run; empty for
     * PostgreSQL.
     */
    public static Optional<EmbeddedCompaction> of(Database database, Duration budget) {
        return of(database, budget, new CompactionPacing(0));
    }

    /** A compaction for {@code database}'s file when it is embedded H2, its rounds paced; empty for PostgreSQL. */
    public static Optional<EmbeddedCompaction> of(Database database, Duration budget, CompactionPacing pacing) {
        requireNonNull(database, "database is null");
        requireNonNull(budget, "budget is null");
        requireNonNull(pacing, "pacing is null");
        if (budget.toMillis() < 1 || budget.compareTo(MAX_BUDGET) > 0) {
            throw new IllegalArgumentException("the compaction budget must be 1 ms to " + MAX_BUDGET.toMillis()
                    + " ms, was " + budget.toMillis() + " ms");
        }
        return database.kind() == DatabaseSettings.Kind.H2
                ? Optional.of(new EmbeddedCompaction(database.dataSource(), (int) budget.toMillis(), pacing))
                : Optional.empty();
    }

    /**
     * Compacts for about the budget, one round at least, when one is due (blocking). Empty when there is nothing for
     * it to do: H2 in another process (server mode: that file is its server's to keep), in memory, or with its own
     * housekeeping on.
     */
    public synchronized Optional<Result> runOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return Optional.empty();
            }
            MVStore store = session.getDatabase().getStore().getMvStore();
            FileStore<?> file = store.getFileStore();
            if (file == null || file.isReadOnly() || store.getAutoCommitDelay() > 0) {
                // No file, or H2's own background housekeeping runs (a write delay above 0): nothing to do here. It
                // also means H2 has no writer threads to wait for while this holds the store's locks.
                return Optional.empty();
            }
            long before = file.size();
            // H2's fill rate: the share of the file's blocks that chunks occupy (dead ones kept for the retention
            // time included); the rest is free space a round can give back by moving chunks down.
            long freeInFile = before / 100 * (100 - file.getFillRate());
            if (!pacing.due(before, freeInFile, System.nanoTime(), lastRound)
                    || freeDiskBytes(file) < MIN_FREE_DISK_BYTES) {
                return Optional.of(Result.skipped(before));
            }
            long start = System.nanoTime();
            // Under the store lock (reentrant: compactFile takes it too), so that the retention time compactFile sets
            // to 0 is back before any other commit stores. An exception here closes the store (H2's panic), as it does
            // when H2's own housekeeping fails.
            store.executeFilestoreOperation(() -> {
                int retention = store.getRetentionTime();
                try {
                    store.compactFile(budgetMillis);
                } finally {
                    store.setRetentionTime(retention);
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long after = file.size();
            lastRound = new CompactionPacing.LastRound(before, after, System.nanoTime());
            return Optional.of(new Result(before, after, took, true));
        }
    }

    private static long freeDiskBytes(FileStore<?> file) {
        try {
            return Files.getFileStore(Path.of(file.getFileName())).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE; // unknown: H2 reports a full disk itself
        }
    }
}
