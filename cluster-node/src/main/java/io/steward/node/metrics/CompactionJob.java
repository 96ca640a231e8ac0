package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.ChunkCodec;
import io.steward.core.metrics.ChunkReport;
import io.steward.core.metrics.SampleCodec;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs raw reports into chunks: per server and window of collection time ({@code compaction.window}), the raw rows
 * the rollup job has already folded move into the window's {@code metric_chunk} row, encoded by {@link ChunkCodec},
 * and are deleted from {@code metric_raw} in the same transaction. {@code metric_raw} thus stays a write-ahead tail of
 * about one rollup interval (acknowledged writes stay one cheap insert) while history costs ~2 bytes per sample
 * instead of ~45.
 *
 * <p>Only rolled-up rows move: the rollup job follows {@code metric_raw} by writer order and must still find every row
 * it has not folded. A window that already has a chunk gets it rewritten with the new reports merged in (the current
 * window's chunk is rewritten every run: a few kilobytes per server), so a window normally has one chunk however
 * late its reports come; a full chunk ({@link #MAX_REPORTS_PER_CHUNK}) is left alone and a further one started.
 *
 * <p>Safe to run on several nodes at once and to crash anywhere: a window's rows are read, deleted and their chunk
 * inserted in one transaction, and a transaction whose delete finds fewer rows than it read (another node packed them
 * first) rolls back; nothing is ever packed twice or lost. Blocking: call {@link #runOnce} from a blocking executor.
 */
public final class CompactionJob {
    private static final Logger log = LoggerFactory.getLogger(CompactionJob.class);
    /** Longest window allowed: readers look this far before a range's start for chunks that reach into it. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** Reports per chunk at most (bounds the job's memory and a chunk's size; a full window continues in another). */
    static final int MAX_REPORTS_PER_CHUNK = 5_000;

    private static final String ROLLED_UP = "EXISTS (SELECT 1 FROM rollup_progress p"
            + " WHERE p.writer_id = t.writer_id AND p.upto >= t.writer_seq)";

    private final DataSource dataSource;
    private final long windowMillis;

    /** What one run packed. */
    public record Result(long chunks, long reports) {
        Result plus(Result other) {
            return new Result(chunks + other.chunks, reports + other.reports);
        }
    }

    /** One window's packing: whether rows of the window may remain (the chunk was full, or another node raced). */
    private record Packed(int reports, boolean full, boolean conflict) {}

    public CompactionJob(Database database, StoreSettings settings) {
        requireNonNull(database, "database is null");
        requireNonNull(settings, "settings is null");
        this.dataSource = database.dataSource();
        this.windowMillis = settings.compactionWindow().toMillis();
    }

    /** Packs every rolled-up raw row; returns the chunks written and the raw reports moved into them. */
    public Result runOnce() throws SQLException {
        long started = System.nanoTime();
        Result total = new Result(0, 0);
        for (Map.Entry<String, Long> server : oldestPackable().entrySet()) {
            try {
                total = total.plus(packServer(server.getKey(), server.getValue()));
            } catch (SQLException | RuntimeException e) {
                // One server's trouble (a chunk that does not decode, a failed statement) must not stop the others'
                // packing at every run from then on; its rows stay in the tail, readable as before.
                log.warn("Packing the raw reports of server [{}] failed; the other servers go on", server.getKey(), e);
            }
        }
        if (total.reports() > 0) {
            log.debug("Packed [{}] raw reports into [{}] chunks in [{}] ms", total.reports(), total.chunks(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return total;
    }

    private long windowStart(long epochMillis) {
        return Math.floorDiv(epochMillis, windowMillis) * windowMillis;
    }

    /** Per server with packable rows, the collection time of its oldest one. */
    private Map<String, Long> oldestPackable() throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            Map<String, Long> servers = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT t.server_id, MIN(t.ts)"
                    + " FROM metric_raw t WHERE " + ROLLED_UP + " GROUP BY t.server_id ORDER BY t.server_id")) {
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        servers.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return servers;
        });
    }

    private Result packServer(String serverId, long oldest) throws SQLException {
        Result total = new Result(0, 0);
        long window = windowStart(oldest);
        while (true) {
            Packed packed;
            try {
                packed = packWindow(serverId, window, window + windowMillis);
            } catch (SQLException e) {
                if (!isConcurrentPacking(e)) {
                    throw e;
                }
                log.debug("Packing server [{}] collided with another node's compaction; leaving it the rest",
                        serverId, e);
                break;
            }
            if (packed.reports() > 0) {
                total = total.plus(new Result(1, packed.reports()));
            }
            if (packed.conflict()) {
                break; // another node is packing this server: leave it the rest
            }
            if (!packed.full()) {
                Long next = nextPackable(serverId, window + windowMillis);
                if (next == null) {
                    break;
                }
                window = windowStart(next);
            }
        }
        return total;
    }

    /**
     * Whether a failed packing only met another node packing the same rows: a deadlock or serialization failure, or
     * on H2 a row another transaction changed (90131) or holds locked past the lock timeout (HYT00).
     */
    private static boolean isConcurrentPacking(SQLException e) {
        return Jdbc.isConflict(e) || "90131".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState());
    }

    private Long nextPackable(String serverId, long from) throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT MIN(t.ts) FROM metric_raw t"
                    + " WHERE t.server_id = ? AND t.ts >= ? AND " + ROLLED_UP)) {
                statement.setString(1, serverId);
                statement.setLong(2, from);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long found = rows.getLong(1);
                    return rows.wasNull() ? null : found;
                }
            }
        });
    }

    /** Raw rows of one window read for packing. */
    private record RawReport(long sequence, long epochMillis, byte[] samples) {}

    private Packed packWindow(String serverId, long from, long to) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<RawReport> rows = new ArrayList<>(read(connection, serverId, from, to));
            List<ChunkReport> reports = new ArrayList<>(rows.size());
            long samples = 0;
            for (java.util.Iterator<RawReport> each = rows.iterator(); each.hasNext(); ) {
                RawReport row = each.next();
                Map<String, Double> decoded;
                try {
                    decoded = SampleCodec.decode(row.samples());
                } catch (IllegalArgumentException e) {
                    // Left in the tail as it is, never packed as empty: it may be a newer encoding written by a newer
                    // node during a rolling upgrade, which that node reads and packs.
                    log.warn("Not packing report [{}] of server [{}]: {}", row.sequence(), serverId, e.getMessage());
                    each.remove();
                    continue;
                }
                samples += decoded.size();
                reports.add(new ChunkReport(row.epochMillis(), row.sequence(), decoded));
            }
            if (reports.isEmpty()) {
                return new Packed(0, false, false);
            }
            int moved = reports.size();
            if (delete(connection, serverId, rows) != rows.size()) {
                connection.rollback();
                return new Packed(0, true, true);
            }
            Optional<WindowChunk> existing = windowChunk(connection, serverId, from, to);
            if (existing.isPresent() && existing.get().reportCount() + moved <= MAX_REPORTS_PER_CHUNK) {
                if (deleteChunk(connection, serverId, existing.get()) != 1) {
                    connection.rollback();
                    return new Packed(0, true, true);
                }
                List<ChunkReport> packedBefore = ChunkCodec.decode(existing.get().payload());
                java.util.Set<Long> sequences = new java.util.HashSet<>();
                packedBefore.forEach(report -> sequences.add(report.sequence()));
                // A report already in the chunk is kept once (its row was a duplicate that got past the writer).
                for (java.util.Iterator<ChunkReport> each = reports.iterator(); each.hasNext(); ) {
                    ChunkReport report = each.next();
                    if (sequences.contains(report.sequence())) {
                        samples -= report.samples().size();
                        each.remove();
                    }
                }
                reports.addAll(packedBefore);
                samples += existing.get().sampleCount();
                reports.sort(TIME_ORDER);
            }
            insertChunk(connection, serverId, reports, samples);
            return new Packed(moved, moved >= MAX_REPORTS_PER_CHUNK, false);
        });
    }

    private static final Comparator<ChunkReport> TIME_ORDER =
            Comparator.comparingLong(ChunkReport::epochMillis).thenComparingLong(ChunkReport::sequence);

    /** The newest chunk of a window, to merge new reports into. */
    private record WindowChunk(long endMillis, long firstSequence, int reportCount, long sampleCount,
            byte[] payload) {}

    private static Optional<WindowChunk> windowChunk(Connection connection, String serverId, long from, long to)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT end_ts, first_seq, report_count,"
                + " sample_count, payload FROM metric_chunk WHERE server_id = ? AND end_ts >= ? AND end_ts < ?"
                + " AND start_ts >= ? ORDER BY server_id, end_ts DESC FETCH FIRST 1 ROWS ONLY")) {
            statement.setString(1, serverId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            statement.setLong(4, from);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new WindowChunk(rows.getLong(1), rows.getLong(2), rows.getInt(3),
                        rows.getLong(4), rows.getBytes(5))) : Optional.empty();
            }
        }
    }

    /** Deletes a chunk being rewritten; 0: another node rewrote or deleted it meanwhile. */
    private static int deleteChunk(Connection connection, String serverId, WindowChunk chunk) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM metric_chunk WHERE server_id = ? AND end_ts = ? AND first_seq = ?")) {
            statement.setString(1, serverId);
            statement.setLong(2, chunk.endMillis());
            statement.setLong(3, chunk.firstSequence());
            return statement.executeUpdate();
        }
    }

    private static List<RawReport> read(Connection connection, String serverId, long from, long to)
            throws SQLException {
        List<RawReport> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT t.seq, t.ts, t.samples"
                + " FROM metric_raw t WHERE t.server_id = ? AND t.ts >= ? AND t.ts < ? AND " + ROLLED_UP
                + " ORDER BY t.ts, t.seq FETCH FIRST ? ROWS ONLY")) {
            statement.setString(1, serverId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            statement.setInt(4, MAX_REPORTS_PER_CHUNK);
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    rows.add(new RawReport(found.getLong(1), found.getLong(2), found.getBytes(3)));
                }
            }
        }
        return rows;
    }

    /** Deletes the rows by key; returns how many this transaction deleted (fewer: another node took some). */
    private static int delete(Connection connection, String serverId, List<RawReport> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM metric_raw WHERE server_id = ? AND seq = ?")) {
            for (RawReport row : rows) {
                statement.setString(1, serverId);
                statement.setLong(2, row.sequence());
                statement.addBatch();
            }
            int deleted = 0;
            for (int count : statement.executeBatch()) {
                deleted += Math.max(0, count);
            }
            return deleted;
        }
    }

    private static void insertChunk(Connection connection, String serverId, List<ChunkReport> reports, long samples)
            throws SQLException {
        long firstSequence = Long.MAX_VALUE;
        long lastSequence = Long.MIN_VALUE;
        for (ChunkReport report : reports) {
            firstSequence = Math.min(firstSequence, report.sequence());
            lastSequence = Math.max(lastSequence, report.sequence());
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO metric_chunk (server_id, end_ts,"
                + " first_seq, start_ts, last_seq, report_count, sample_count, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, serverId);
            statement.setLong(2, reports.get(reports.size() - 1).epochMillis());
            statement.setLong(3, firstSequence);
            statement.setLong(4, reports.get(0).epochMillis());
            statement.setLong(5, lastSequence);
            statement.setInt(6, reports.size());
            statement.setLong(7, samples);
            statement.setBytes(8, ChunkCodec.encode(reports));
            statement.executeUpdate();
        }
    }
}
