package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.steward.core.metrics.Resolution;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.JdbcCursor;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * The metric store as the rest of the node sees it: durable report writes, chart and latest-value queries, server
 * deletion, and the periodic rollup, compaction and retention jobs. Every method returns at once; JDBC runs on the blocking
 * executor given at start, never on a Pekko dispatcher.
 */
public final class MetricStore {
    private static final Logger log = LoggerFactory.getLogger(MetricStore.class);
    /** Raw reports per export batch (each holds a few dozen series). */
    private static final int RAW_REPORTS_PER_BATCH = 100;
    /** Chunks per export batch (each holds up to a window of one server's reports). */
    private static final int CHUNKS_PER_BATCH = 2;
    /** Rollup rows per export batch. */
    private static final int ROLLUP_ROWS_PER_BATCH = 2_000;

    private final ActorSystem<?> system;
    private final StoreSettings settings;
    private final Executor blocking;
    private final ExecutionContext blockingContext;
    private final Blocking blockingWork;
    private final Clock clock;
    private final MetricWriter writer;
    private final MetricQueries queries;
    private final RollupJob rollups;
    private final CompactionJob compaction;
    private final RetentionJob retention;
    private final MetricExportReads exports;
    private final Object scheduleLock = new Object();
    private boolean scheduled;
    private boolean stopped;
    private Cancellable nextRollup;
    private Cancellable nextRetention;
    private final Set<CompletableFuture<Void>> runningJobs = ConcurrentHashMap.newKeySet();

    private MetricStore(ActorSystem<?> system, Database database, StoreSettings settings, Executor blocking,
            Clock clock) {
        this.system = system;
        this.settings = settings;
        this.blocking = blocking;
        this.blockingWork = new Blocking(blocking);
        this.blockingContext = ExecutionContexts.fromExecutor(blocking);
        this.clock = clock;
        this.writer = MetricWriter.start(system, database, settings, blocking);
        this.queries = new MetricQueries(database, settings);
        this.rollups = new RollupJob(database, settings, clock);
        this.compaction = new CompactionJob(database, settings);
        this.retention = new RetentionJob(database, settings);
        this.exports = new MetricExportReads(database.dataSource(), queries);
    }

    /** Opens the store with {@code steward.store} of {@code config} and schedules its rollup and retention jobs. */
    public static MetricStore start(ActorSystem<?> system, Database database, Config config, Executor blocking) {
        MetricStore store = open(system, database, StoreSettings.fromConfig(config), blocking);
        store.scheduleJobs();
        return store;
    }

    /** Opens the store without scheduling its jobs (tests run them with {@link #rollups()} and {@link #retention()}). */
    public static MetricStore open(ActorSystem<?> system, Database database, StoreSettings settings, Executor blocking) {
        requireNonNull(system, "system is null");
        requireNonNull(database, "database is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(blocking, "blocking is null");
        return new MetricStore(system, database, settings, blocking, Clock.systemUTC());
    }

    /**
     * Runs the rollup job, then compaction, every {@code rollup-interval} and retention every {@code retention-interval}, each pause
     * counted from the end of the previous run so runs never overlap. Every node runs them; they are safe together.
     */
    public void scheduleJobs() {
        synchronized (scheduleLock) {
            if (scheduled || stopped) {
                return;
            }
            scheduled = true;
            scheduleRollup();
            scheduleRetention();
        }
    }

    private void scheduleRollup() {
        synchronized (scheduleLock) {
            if (!stopped) {
                nextRollup = system.scheduler().scheduleOnce(settings.rollupInterval(), () -> runJob(() -> {
                    try {
                        rollups.runOnce();
                        // Right after the rollups: compaction packs only what they have folded.
                        compaction.runOnce();
                    } catch (SQLException | RuntimeException e) {
                        log.warn("Metric rollup or compaction failed; retrying in [{}]", settings.rollupInterval(), e);
                    } finally {
                        scheduleRollup();
                    }
                }), blockingContext);
            }
        }
    }

    private void scheduleRetention() {
        synchronized (scheduleLock) {
            if (!stopped) {
                nextRetention = system.scheduler().scheduleOnce(settings.retentionInterval(), () -> runJob(() -> {
                    try {
                        retention.runOnce(clock.instant());
                    } catch (SQLException | RuntimeException e) {
                        log.warn("Metric retention failed; retrying in [{}]", settings.retentionInterval(), e);
                    } finally {
                        scheduleRetention();
                    }
                }), blockingContext);
            }
        }
    }

    /** Runs a scheduled job so that {@link #stop()} can wait for it to finish (it holds database connections). */
    private void runJob(Runnable job) {
        CompletableFuture<Void> running = new CompletableFuture<>();
        synchronized (scheduleLock) {
            // A job whose timer fired just as stop() ran must not start after stop() took its list of running jobs.
            if (stopped) {
                return;
            }
            runningJobs.add(running);
        }
        try {
            job.run();
        } finally {
            runningJobs.remove(running);
            running.complete(null);
        }
    }

    /**
     * Stops the jobs and the writer; completes once a job that was running has finished and every accepted write is
     * committed or failed.
     */
    public CompletionStage<Done> stop() {
        CompletableFuture<?>[] running;
        synchronized (scheduleLock) {
            stopped = true;
            if (nextRollup != null) {
                nextRollup.cancel();
            }
            if (nextRetention != null) {
                nextRetention.cancel();
            }
            running = runningJobs.toArray(CompletableFuture[]::new);
        }
        return CompletableFuture.allOf(running).thenCompose(done -> writer.stop());
    }

    /** Reports accepted and waiting in the write queue (the node's metrics show it). */
    public int queuedWrites() {
        return writer.queued();
    }

    /** See {@link MetricWriter#write}. */
    public CompletionStage<WriteOutcome> write(String serverId, long sequence, MetricsReport report) {
        return writer.write(serverId, sequence, report);
    }

    /** See {@link MetricWriter#writeResendable}: an agent's report, refused while the store is behind. */
    public CompletionStage<WriteOutcome> writeResendable(String serverId, long sequence, MetricsReport report) {
        return writer.writeResendable(serverId, sequence, report);
    }

    /** See {@link MetricQueries#range}; invalid arguments fail the stage with {@link IllegalArgumentException}. */
    public CompletionStage<SeriesResult> range(String serverId, String series, Instant from, Instant to,
            Duration reportInterval, Instant now) {
        return async(() -> queries.range(serverId, series, from, to, reportInterval, now));
    }

    /** See {@link MetricQueries#resolutionFor}: the tier a chart of this range reads, which an export reads whole. */
    public CompletionStage<Resolution> exportResolution(String serverId, Instant from, Instant to,
            Duration reportInterval, Instant now) {
        return async(() -> queries.resolutionFor(serverId, from, to, reportInterval, now));
    }

    /**
     * Every row of the plan's tier in the range, ordered by time, then series, in batches of a few thousand rows.
     * Nothing runs until the source is materialized; the database is read through a cursor on the blocking executor
     * as the consumer asks for more, and the cursor's connection goes back to the pool when the stream completes,
     * fails or is cancelled (a client that went away).
     */
    public Source<List<MetricRow>, NotUsed> export(MetricExportPlan plan) {
        requireNonNull(plan, "plan is null");
        String series = plan.series();
        if (plan.resolution() == Resolution.RAW) {
            // Packed history and the raw tail, merged by time (each is in time order but for late reports).
            Source<MetricExportReads.RawReport, NotUsed> packed = cursorSource(() -> exports.openChunks(plan),
                    CHUNKS_PER_BATCH).mapConcat(chunks -> chunks).mapConcat(reports -> reports);
            Source<MetricExportReads.RawReport, NotUsed> tail = cursorSource(() -> exports.openRaw(plan),
                    RAW_REPORTS_PER_BATCH).mapConcat(reports -> reports);
            return packed.mergeSorted(tail, Comparator.comparingLong(MetricExportReads.RawReport::epochMillis))
                    .grouped(RAW_REPORTS_PER_BATCH)
                    .map(reports -> MetricExportReads.rowsOf(reports, series))
                    .filter(rows -> !rows.isEmpty());
        }
        return Source.lazyCompletionStageSource(() -> async(() -> exports.tailBucket(plan))
                        .thenApply(tailBucket -> cursorSource(() -> exports.openRollup(plan, tailBucket),
                                ROLLUP_ROWS_PER_BATCH)
                                .concatLazy(Source.lazyCompletionStage(() -> async(() -> exports.tail(plan, tailBucket))))))
                .filter(rows -> !rows.isEmpty())
                .mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    /** A source of a cursor's batches: opened, read and closed on the blocking executor. */
    private <T> Source<List<T>, NotUsed> cursorSource(Blocking.Work<JdbcCursor<T>> open, int batchSize) {
        return Source.unfoldResourceAsync(
                () -> async(open),
                cursor -> async(() -> cursor.next(batchSize)),
                cursor -> async(() -> {
                    cursor.close();
                    return Done.getInstance();
                }));
    }

    /** The highest stored report sequence of the server, 0 if none. */
    public CompletionStage<Long> lastStoredSequence(String serverId) {
        return async(() -> queries.lastStoredSequence(serverId));
    }

    /** The samples of the server's newest stored report, if any. */
    public CompletionStage<Optional<LatestSamples>> latest(String serverId) {
        return async(() -> queries.latest(serverId));
    }

    /** How many reports of the server are stored. */
    public CompletionStage<Long> countReports(String serverId) {
        return async(() -> queries.countReports(serverId));
    }

    /** Every stored report sequence of the server, ascending. */
    public CompletionStage<List<Long>> storedSequences(String serverId) {
        return async(() -> queries.storedSequences(serverId));
    }

    /** Deletes the server's raw reports and rollups. */
    public CompletionStage<Done> deleteServer(String serverId) {
        return async(() -> {
            queries.deleteServer(serverId);
            return Done.getInstance();
        });
    }

    /** Runs compaction once now, on the blocking executor. */
    public CompletionStage<CompactionJob.Result> compactNow() {
        return async(compaction::runOnce);
    }

    /** Runs the rollup job once now, on the blocking executor. */
    public CompletionStage<RollupJob.Result> rollUpNow() {
        return async(rollups::runOnce);
    }

    /** Retention runs read each tier's retention from {@code source} from now on (a runtime setting). */
    public void retentionFrom(java.util.function.Supplier<TierRetention> source) {
        retention.retentionFrom(source);
    }

    /** Runs retention once now (as of {@code now}), on the blocking executor. */
    public CompletionStage<RetentionJob.Result> applyRetentionNow(Instant now) {
        return async(() -> retention.runOnce(now));
    }

    /** The synchronous queries, for callers already on a blocking thread. */
    public MetricQueries queries() {
        return queries;
    }

    public RollupJob rollups() {
        return rollups;
    }

    public CompactionJob compaction() {
        return compaction;
    }

    public RetentionJob retention() {
        return retention;
    }

    public MetricWriter writer() {
        return writer;
    }

    public StoreSettings settings() {
        return settings;
    }

    /** Runs {@code work} on the blocking executor; its exception (SQL or argument) fails the stage as is. */
    private <T> CompletionStage<T> async(Blocking.Work<T> work) {
        return blockingWork.supply(work);
    }
}
