package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.ChunkCodec;
import io.steward.core.metrics.ReportSamples;
import io.steward.core.metrics.SampleCodec;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable, batched writes of reports into {@code metric_raw}. Reports wait in a bounded queue (a full queue, or for
 * an agent's report one that would make it wait longer than {@code maxQueueWait} ({@link WriteAdmission}), fails the
 * write at once with {@link StoreBusyException}), are grouped into batches of up to {@code maxBatch} or
 * {@code maxBatchDelay}, and each batch is inserted in one transaction on the blocking executor; a write's stage
 * completes only after that commit. Batches run one at a time, which makes this writer's {@code writer_seq} values
 * become visible in increasing order: the rollup job relies on that to follow a watermark per writer.
 *
 * <p>A failed batch fails its writes and nothing else: the stream keeps running for later writes.
 */
public final class MetricWriter {
    private static final Logger log = LoggerFactory.getLogger(MetricWriter.class);
    /** Column width of {@code server_id}. */
    static final int MAX_SERVER_ID_LENGTH = 64;

    private final String writerId = UUID.randomUUID().toString();
    private final AtomicLong lastWriterSequence = new AtomicLong();
    private final DataSource dataSource;
    private final StoreDialect dialect;
    private final Executor blocking;
    private final Clock clock;
    private final BoundedSourceQueue<Request> queue;
    private final WriteAdmission admission;
    private final CompletionStage<Done> finished;
    /** Whether this writer's rollup progress row exists; set after the first committed batch. */
    private volatile boolean registered;

    /** One accepted report: its row values and the caller's pending outcome. */
    private record Request(
            String serverId, long sequence, long collectedAtMillis, byte[] samples,
            CompletableFuture<WriteOutcome> outcome) {
        StoreDialect.RawKey key() {
            return new StoreDialect.RawKey(serverId, sequence);
        }
    }

    private MetricWriter(ActorSystem<?> system, Database database, StoreSettings settings, Executor blocking) {
        this.dataSource = database.dataSource();
        this.dialect = StoreDialect.of(database.kind());
        this.blocking = blocking;
        this.clock = Clock.systemUTC();
        this.admission = new WriteAdmission(settings.maxQueueWait(), settings.maxBatch());
        Pair<BoundedSourceQueue<Request>, CompletionStage<Done>> materialized =
                Source.<Request>queue(settings.queueSize())
                        .groupedWithin(settings.maxBatch(), settings.maxBatchDelay())
                        .mapAsync(1, this::writeBatch)
                        .toMat(Sink.ignore(), Keep.both())
                        .run(system);
        this.queue = materialized.first();
        this.finished = materialized.second();
        finished.whenComplete((done, failure) -> {
            if (failure instanceof AbruptStageTerminationException) {
                log.info("Metric writer [{}] stopped with its actor system before stop() was called", writerId);
            } else if (failure != null) {
                log.error("Metric writer [{}] stopped on an unexpected failure", writerId, failure);
            }
        });
    }

    /**
     * Starts a writer; its stream runs on {@code system}'s default dispatcher, which only moves references, while
     * every JDBC call runs on {@code blocking}.
     */
    public static MetricWriter start(
            ActorSystem<?> system, Database database, StoreSettings settings, Executor blocking) {
        requireNonNull(system, "system is null");
        requireNonNull(database, "database is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(blocking, "blocking is null");
        return new MetricWriter(system, database, settings, blocking);
    }

    /**
     * Stores one report unless the server's {@code sequence} is already stored. Completes after the commit with
     * {@link WriteOutcome#STORED} or {@link WriteOutcome#DUPLICATE}; fails at once with {@link StoreBusyException}
     * when the queue is full, with {@link IllegalArgumentException} for an invalid id or sequence, and with the
     * database's exception when the batch's transaction fails.
     */
    public CompletionStage<WriteOutcome> write(String serverId, long sequence, MetricsReport report) {
        return write(serverId, sequence, report, false);
    }

    /**
     * {@link #write}, for a sender that sends a refused report again (an agent): also refused at once, with
     * {@link StoreBusyException}, while the reports queued would take longer than {@code maxQueueWait} to write
     * ({@link WriteAdmission}). Other writers (tests loading data, check rows no one resends) are bounded by the
     * queue's count only.
     */
    public CompletionStage<WriteOutcome> writeResendable(String serverId, long sequence, MetricsReport report) {
        return write(serverId, sequence, report, true);
    }

    private CompletionStage<WriteOutcome> write(String serverId, long sequence, MetricsReport report,
            boolean resendable) {
        byte[] samples;
        try {
            requireNonNull(report, "report is null");
            // Encoded here, so the queue holds compact bytes rather than whole reports with process lists.
            samples = SampleCodec.encode(ReportSamples.of(report));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return enqueue(serverId, sequence, report.collectedAt().toEpochMilli(), samples, resendable);
    }

    /**
     * Stores samples that are not an agent's report (a check's results, under {@code check:<id>}) as one row, like a
     * report's: the same tiers, rollups and retention apply. {@code sequence} must be unique for the subject.
     */
    public CompletionStage<WriteOutcome> writeSamples(String subject, long sequence, Instant at,
            Map<String, Double> samples) {
        byte[] encoded;
        try {
            requireNonNull(at, "at is null");
            encoded = SampleCodec.encode(samples);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Not subject to the wait admission: no agent sends these rows again, so a refusal would lose them.
        return enqueue(subject, sequence, at.toEpochMilli(), encoded, false);
    }

    /**
     * {@code resendable}: whether its sender sends it again when refused, so that it may be refused while the queue
     * is behind ({@link WriteAdmission}).
     */
    private CompletionStage<WriteOutcome> enqueue(String serverId, long sequence, long atMillis, byte[] samples,
            boolean resendable) {
        try {
            requireNonNull(serverId, "serverId is null");
            if (serverId.isBlank() || serverId.length() > MAX_SERVER_ID_LENGTH) {
                throw new IllegalArgumentException("server id must be 1 to " + MAX_SERVER_ID_LENGTH
                        + " characters: '" + serverId + "'");
            }
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        int queued = queue.size();
        if (resendable && !admission.admits(queued)) {
            return CompletableFuture.failedFuture(new StoreBusyException("the metric store is behind (" + queued
                    + " reports queued, ~" + admission.expectedWait(queued).toMillis() + " ms); retry later"));
        }
        CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();
        QueueOfferResult offered = queue.offer(new Request(serverId, sequence, atMillis, samples, outcome));
        if (offered.isEnqueued()) {
            return outcome;
        }
        if (offered == QueueOfferResult.dropped()) {
            return CompletableFuture.failedFuture(new StoreBusyException(
                    "the metric store's write queue is full; retry later"));
        }
        if (offered instanceof QueueOfferResult.Failure failure) {
            return CompletableFuture.failedFuture(new IllegalStateException("the metric writer has failed",
                    failure.cause()));
        }
        return CompletableFuture.failedFuture(new IllegalStateException("the metric writer is stopped"));
    }

    /** Stops accepting writes; completes once every accepted write has been written (or has failed). */
    public CompletionStage<Done> stop() {
        queue.complete();
        return finished;
    }

    /** This writer instance's id in {@code metric_raw.writer_id} and {@code rollup_progress}. */
    public String writerId() {
        return writerId;
    }

    /** Reports accepted and not yet handed to a batch. */
    public int queued() {
        return queue.size();
    }

    /** Runs one batch on the blocking executor; the returned stage never fails, so the stream never does. */
    private CompletionStage<Done> writeBatch(List<Request> batch) {
        CompletableFuture<Done> written = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    persist(batch);
                } catch (Exception e) {
                    failAll(batch, e);
                } catch (Error e) {
                    failAll(batch, e);
                    throw e;
                } finally {
                    written.complete(Done.getInstance());
                }
            });
        } catch (RejectedExecutionException e) {
            failAll(batch, e);
            written.complete(Done.getInstance());
        }
        return written;
    }

    private void persist(List<Request> batch) throws SQLException {
        long started = System.nanoTime();
        // A replay can bring one report twice in a batch: insert the first, the others are duplicates.
        Map<StoreDialect.RawKey, Request> distinct = new LinkedHashMap<>();
        for (Request request : batch) {
            distinct.putIfAbsent(request.key(), request);
        }
        Set<StoreDialect.RawKey> inserted;
        try {
            inserted = insert(distinct.values());
        } catch (SQLException e) {
            if (!Jdbc.isIntegrityViolation(e)) {
                throw e;
            }
            // Another node inserted one of these keys between our check and our insert: the retry sees it.
            log.debug("Batch of [{}] collided with a concurrent insert; retrying once", batch.size(), e);
            inserted = insert(distinct.values());
        }
        registered = true;
        admission.written(batch.size(), System.nanoTime() - started);
        for (Request request : batch) {
            boolean stored = inserted.contains(request.key()) && distinct.get(request.key()) == request;
            request.outcome().complete(stored ? WriteOutcome.STORED : WriteOutcome.DUPLICATE);
        }
        if (log.isDebugEnabled()) {
            log.debug("Wrote batch of [{}] reports ([{}] new) in [{}] µs", batch.size(), inserted.size(),
                    (System.nanoTime() - started) / 1_000);
        }
    }

    private Set<StoreDialect.RawKey> insert(java.util.Collection<Request> requests) throws SQLException {
        // Fresh writer sequences per attempt: a number is never reused, even if a failed commit's fate is unknown.
        long base = lastWriterSequence.getAndAdd(requests.size());
        List<StoreDialect.RawRow> rows = new ArrayList<>(requests.size());
        long next = base;
        for (Request request : requests) {
            rows.add(new StoreDialect.RawRow(
                    request.serverId(), request.sequence(), request.collectedAtMillis(), ++next, request.samples()));
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            if (!registered) {
                // In the batch's own transaction: a writer's rows never exist without its progress row.
                dialect.registerWriter(connection, writerId, clock.millis());
            }
            List<StoreDialect.RawRow> unpacked = withoutPacked(connection, rows);
            if (unpacked.isEmpty()) {
                return Set.of();
            }
            return withoutPackedMeanwhile(connection, dialect.insertRawIfAbsent(connection, writerId, unpacked));
        });
    }

    /**
     * A compaction that packed a replayed report's stored row between the check above and the insert (it deleted the
     * row the insert would have conflicted with) leaves the insert a new row: asked again after the insert — which
     * waited for that compaction's commit — the chunk is seen, and the row goes in this same transaction, so the
     * report is a duplicate as it should be, never stored (and rolled up) twice.
     */
    private Set<StoreDialect.RawKey> withoutPackedMeanwhile(Connection connection, Set<StoreDialect.RawKey> inserted)
            throws SQLException {
        if (inserted.isEmpty()) {
            return inserted;
        }
        Map<String, Long> lowest = new HashMap<>();
        for (StoreDialect.RawKey key : inserted) {
            lowest.merge(key.serverId(), key.sequence(), Math::min);
        }
        List<StoreDialect.ServerChunk> chunks = dialect.chunksReaching(connection, lowest);
        if (chunks.isEmpty()) {
            return inserted;
        }
        Set<StoreDialect.RawKey> packed = packedKeys(chunks);
        Set<StoreDialect.RawKey> stored = new HashSet<>(inserted);
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM metric_raw WHERE server_id = ? AND seq = ?")) {
            for (StoreDialect.RawKey key : inserted) {
                if (packed.contains(key)) {
                    delete.setString(1, key.serverId());
                    delete.setLong(2, key.sequence());
                    delete.addBatch();
                    stored.remove(key);
                }
            }
            if (stored.size() < inserted.size()) {
                delete.executeBatch();
            }
        }
        return stored;
    }

    private static Set<StoreDialect.RawKey> packedKeys(List<StoreDialect.ServerChunk> chunks) {
        Set<StoreDialect.RawKey> packed = new HashSet<>();
        for (StoreDialect.ServerChunk chunk : chunks) {
            for (long sequence : ChunkCodec.sequences(chunk.payload())) {
                packed.add(new StoreDialect.RawKey(chunk.serverId(), sequence));
            }
        }
        return packed;
    }

    /**
     * The rows whose report is not already packed into a chunk ({@link CompactionJob}): a report replayed after its
     * window was packed is a duplicate like one still in {@code metric_raw}. Normally no chunk reaches a new report's
     * sequence, and the check is one index probe per server.
     */
    private List<StoreDialect.RawRow> withoutPacked(Connection connection, List<StoreDialect.RawRow> rows)
            throws SQLException {
        Map<String, Long> lowest = new HashMap<>();
        for (StoreDialect.RawRow row : rows) {
            lowest.merge(row.serverId(), row.sequence(), Math::min);
        }
        List<StoreDialect.ServerChunk> chunks = dialect.chunksReaching(connection, lowest);
        if (chunks.isEmpty()) {
            return rows;
        }
        Set<StoreDialect.RawKey> packed = packedKeys(chunks);
        List<StoreDialect.RawRow> unpacked = new ArrayList<>(rows.size());
        for (StoreDialect.RawRow row : rows) {
            if (!packed.contains(row.key())) {
                unpacked.add(row);
            }
        }
        return unpacked;
    }

    private static void failAll(List<Request> batch, Throwable failure) {
        for (Request request : batch) {
            request.outcome().completeExceptionally(failure);
        }
    }
}
