package io.steward.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.steward.core.metrics.Aggregate;
import io.steward.core.metrics.Point;
import io.steward.core.metrics.Resolution;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import io.steward.node.MetricStoreSeams;
import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.ingest.ReportSink;
import io.steward.node.server.ServerSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric store's contract, run against real databases: each subclass provides a fresh, empty database per test
 * (H2 in a temporary directory, PostgreSQL on a throwaway server).
 */
abstract class MetricStoreContract {
    private static final Logger log = LoggerFactory.getLogger(MetricStoreContract.class);
    private static final long WAIT_SECONDS = 30;
    /** An hour boundary, so minute and hour buckets of the data below are easy to name. */
    static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    static final String CPU = "cpu.percent";

    private static ActorTestKit testKit;
    private static ExecutorService blocking;

    protected Database database;
    protected MetricStore store;
    private final List<MetricStore> openStores = new ArrayList<>();

    /** Settings of the store under test: jobs only run when a test runs them; small chunks exercise chunking. */
    static final StoreSettings SETTINGS = StoreSettings.defaults()
            .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
            .withChunks(50, 5);

    /** A new, empty database for one test. */
    protected abstract DatabaseSettings newDatabase();

    /** Releases what {@link #newDatabase()} holds beyond the pool (H2 shuts its file down). */
    protected void afterClose(DatabaseSettings settings) {}

    @BeforeAll
    static void startActorSystem() {
        testKit = ActorTestKit.create("MetricStoreTest",
                ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
        blocking = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopActorSystem() {
        testKit.shutdownTestKit();
        blocking.shutdownNow();
    }

    @BeforeEach
    void openStore() throws SQLException {
        database = Database.open(newDatabase());
        assertThat(database.migrate()).isEqualTo(Database.latestSchemaVersion());
        store = open(SETTINGS, blocking);
    }

    @AfterEach
    void closeStore() throws Exception {
        for (MetricStore open : openStores) {
            open.stop().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        DatabaseSettings settings = database.settings();
        database.close();
        afterClose(settings);
    }

    MetricStore open(StoreSettings settings, java.util.concurrent.Executor executor) {
        MetricStore opened = MetricStore.open(testKit.system(), database, settings, executor);
        openStores.add(opened);
        return opened;
    }

    // ---- writes

    @Test
    void storesAReportOnceAndReportsTheReplayAsDuplicate() throws Exception {
        assertThat(await(store.write("srv-1", 1, report(T, 10)))).isEqualTo(WriteOutcome.STORED);
        assertThat(await(store.write("srv-1", 1, report(T, 99)))).isEqualTo(WriteOutcome.DUPLICATE);

        assertThat(await(store.countReports("srv-1"))).isEqualTo(1);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(1L);
        assertThat(await(store.latest("srv-1")).orElseThrow().value(CPU)).isEqualTo(10);
    }

    @Test
    void theSameReportTwiceInFlightIsStoredOnce() throws Exception {
        CompletionStage<WriteOutcome> first = store.write("srv-1", 7, report(T, 10));
        CompletionStage<WriteOutcome> second = store.write("srv-1", 7, report(T, 10));

        assertThat(List.of(await(first), await(second)))
                .containsExactlyInAnyOrder(WriteOutcome.STORED, WriteOutcome.DUPLICATE);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(7L);
    }

    @Test
    void rejectsInvalidIdsAndSequencesWithoutStoring() {
        assertThatThrownBy(() -> await(store.write("", 1, report(T, 1))))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(store.write("x".repeat(65), 1, report(T, 1))))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(store.write("srv-1", 0, report(T, 1))))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence must be >= 1");
    }

    @Test
    void storesConcurrentWritesOfManyServersInBatches() throws Exception {
        int servers = 40;
        int reportsEach = 50;
        List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        try {
            List<Future<List<CompletableFuture<WriteOutcome>>>> sent = new ArrayList<>();
            for (int sender = 0; sender < 4; sender++) {
                int first = sender;
                sent.add(senders.submit(() -> {
                    List<CompletableFuture<WriteOutcome>> mine = new ArrayList<>();
                    for (int server = first; server < servers; server += 4) {
                        for (int seq = 1; seq <= reportsEach; seq++) {
                            mine.add(store.write("srv-" + server, seq, report(T.plusSeconds(5L * seq), seq))
                                    .toCompletableFuture());
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletableFuture<WriteOutcome>>> future : sent) {
                outcomes.addAll(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }
        long micros = (System.nanoTime() - started) / 1_000;
        log.info("{}: {} concurrent writes of {} servers stored in {} ms ({} reports/s)", getClass().getSimpleName(),
                outcomes.size(), servers, micros / 1_000, outcomes.size() * 1_000_000L / Math.max(1, micros));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.join()).isEqualTo(WriteOutcome.STORED));
        for (int server = 0; server < servers; server++) {
            assertThat(await(store.storedSequences("srv-" + server)))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, reportsEach).boxed().toList());
        }
    }

    /** Keeps the writer's only thread ({@code gate}) waiting until {@code release} opens. */
    private static void occupy(ExecutorService gate, CountDownLatch release) {
        gate.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aQueueThatWouldMakeReportsWaitTooLongRefusesLongBeforeItIsFull() throws Exception {
        ExecutorService gate = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            // Room for 10,000 reports, but a report may expect to wait 1 ms at most: about a batch's worth (10).
            MetricStore slow = open(SETTINGS.withQueue(10_000, 10, Duration.ofMillis(1))
                    .withMaxQueueWait(Duration.ofMillis(1)), gate);
            for (int seq = 1; seq <= 30; seq++) { // measures the rate
                assertThat(slow.write("srv-1", seq, report(T, seq)).toCompletableFuture()
                        .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
            }
            occupy(gate, release);
            List<CompletableFuture<WriteOutcome>> accepted = new ArrayList<>();
            List<CompletableFuture<WriteOutcome>> refused = new ArrayList<>();
            for (int seq = 31; seq <= 230; seq++) {
                CompletableFuture<WriteOutcome> outcome = slow.writeResendable("srv-1", seq, report(T, seq))
                        .toCompletableFuture();
                (outcome.isCompletedExceptionally() ? refused : accepted).add(outcome);
            }

            // A batch's worth queued, a batch or two taken by the stream: far fewer than the 200 offered.
            assertThat(accepted).hasSizeLessThan(60);
            assertThat(refused).isNotEmpty().allSatisfy(outcome -> assertThatThrownBy(outcome::join)
                    .hasCauseInstanceOf(StoreBusyException.class).hasMessageContaining("behind"));
            // Ingest's seam is the resending writer: an agent hears UNAVAILABLE and sends the report again later.
            // The stream may have taken a batch off the queue meanwhile (into its batch being formed), so the first
            // few can be accepted again; a refusal comes once the queue holds its wait's worth.
            List<CompletableFuture<Boolean>> acceptedBySink = new ArrayList<>();
            CompletableFuture<Boolean> refusedBySink = null;
            for (int seq = 231; seq <= 330 && refusedBySink == null; seq++) {
                CompletableFuture<Boolean> stored = MetricStoreSeams.reportSink(slow).store("srv-1", seq,
                        report(T, seq)).toCompletableFuture();
                if (stored.isCompletedExceptionally()) {
                    refusedBySink = stored;
                } else {
                    acceptedBySink.add(stored);
                }
            }
            assertThat(acceptedBySink).hasSizeLessThan(60);
            assertThat(refusedBySink).isNotNull();
            assertThatThrownBy(refusedBySink::join).hasCauseInstanceOf(ReportSink.Busy.class);
            // Writes no one sends again (a check's row, a plain write) are not refused for the wait: the queue's count
            // still bounds them.
            CompletableFuture<WriteOutcome> checkRow = slow.writer().writeSamples("check:c-1", 1, T,
                    Map.of("up", 1.0)).toCompletableFuture();
            assertThat(checkRow).isNotCompletedExceptionally();
            CompletableFuture<WriteOutcome> plain = slow.write("srv-2", 1, report(T, 1)).toCompletableFuture();
            assertThat(plain).isNotCompletedExceptionally();
            release.countDown();
            for (CompletableFuture<WriteOutcome> outcome : accepted) {
                assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
            }
            for (CompletableFuture<Boolean> stored : acceptedBySink) {
                assertThat(stored.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(checkRow.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
            assertThat(plain.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        } finally {
            release.countDown();
            gate.shutdown();
        }
    }

    @Test
    void aFullQueueFailsWritesAtOnceWithStoreBusy() throws Exception {
        ExecutorService gate = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            occupy(gate, release); // nothing drains until the test lets it
            MetricStore small = open(SETTINGS.withQueue(4, 1, Duration.ofMillis(1)), gate);
            List<CompletableFuture<WriteOutcome>> accepted = new ArrayList<>();
            List<CompletableFuture<WriteOutcome>> refused = new ArrayList<>();
            for (int seq = 1; seq <= 50; seq++) {
                CompletableFuture<WriteOutcome> outcome = small.write("srv-1", seq, report(T, seq))
                        .toCompletableFuture();
                (outcome.isCompletedExceptionally() ? refused : accepted).add(outcome);
            }

            assertThat(refused).isNotEmpty().allSatisfy(outcome -> assertThatThrownBy(outcome::join)
                    .hasCauseInstanceOf(StoreBusyException.class));
            assertThat(accepted).isNotEmpty().allSatisfy(outcome -> assertThat(outcome).isNotDone());
            // Ingest's seam fails with its own Busy, which it turns into "UNAVAILABLE, retry later". The stream
            // may still be taking a few reports off the queue, so some of these can be accepted.
            List<CompletableFuture<Boolean>> acceptedBySink = new ArrayList<>();
            CompletableFuture<Boolean> refusedBySink = null;
            for (int seq = 51; seq <= 100 && refusedBySink == null; seq++) {
                CompletableFuture<Boolean> stored = MetricStoreSeams.reportSink(small).store("srv-1", seq, report(T, seq))
                        .toCompletableFuture();
                if (stored.isCompletedExceptionally()) {
                    refusedBySink = stored;
                } else {
                    acceptedBySink.add(stored);
                }
            }
            assertThat(refusedBySink).isNotNull();
            assertThatThrownBy(refusedBySink::join).hasCauseInstanceOf(ReportSink.Busy.class);

            release.countDown();
            for (CompletableFuture<WriteOutcome> outcome : accepted) {
                assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
            }
            for (CompletableFuture<Boolean> stored : acceptedBySink) {
                assertThat(stored.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(await(store.countReports("srv-1"))).isEqualTo(accepted.size() + acceptedBySink.size());
            assertThat(MetricStoreSeams.reportSink(small).store("srv-1", 1, report(T, 1)).toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
        } finally {
            release.countDown();
            gate.shutdown();
        }
    }

    @Test
    void aFailedBatchFailsItsWritesAndLaterWritesSucceed() throws Exception {
        assertThat(await(store.write("srv-1", 1, report(T, 1)))).isEqualTo(WriteOutcome.STORED);

        execute("ALTER TABLE metric_raw RENAME TO metric_raw_away");
        try {
            assertThatThrownBy(() -> await(store.write("srv-1", 2, report(T, 2))))
                    .hasCauseInstanceOf(SQLException.class);
        } finally {
            execute("ALTER TABLE metric_raw_away RENAME TO metric_raw");
        }

        assertThat(await(store.write("srv-1", 3, report(T, 3)))).isEqualTo(WriteOutcome.STORED);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(1L, 3L);
    }

    // ---- rollups

    @Test
    void rollsUpMinMaxSumAndCountPerMinuteAndHourAndFoldsInLateSamples() throws Exception {
        write("srv-1", 1, T, 10);
        write("srv-1", 2, T.plusSeconds(20), 20);
        write("srv-1", 3, T.plusSeconds(40), 30);
        write("srv-1", 4, T.plusSeconds(60), 40);
        write("srv-1", 5, T.plus(Duration.ofMinutes(61)), 100);

        RollupJob.Result result = store.rollups().runOnce();

        assertThat(result.rawRows()).isEqualTo(5);
        assertThat(rollup("metric_1m", "srv-1", CPU)).containsExactly(
                Map.entry(T.toEpochMilli(), new Aggregate(10, 30, 60, 3)),
                Map.entry(T.plusSeconds(60).toEpochMilli(), new Aggregate(40, 40, 40, 1)),
                Map.entry(T.plus(Duration.ofMinutes(61)).toEpochMilli(), new Aggregate(100, 100, 100, 1)));
        assertThat(rollup("metric_1h", "srv-1", CPU)).containsExactly(
                Map.entry(T.toEpochMilli(), new Aggregate(10, 40, 100, 4)),
                Map.entry(T.plus(Duration.ofHours(1)).toEpochMilli(), new Aggregate(100, 100, 100, 1)));
        assertThat(rollup("metric_1m", "srv-1", "disk.percent{mount=/}").get(T.toEpochMilli()))
                .isEqualTo(new Aggregate(Reports.DISK_PERCENT, Reports.DISK_PERCENT,
                        3 * Reports.DISK_PERCENT, 3));

        // Running again folds nothing twice; a replayed duplicate is not stored, so never counted.
        assertThat(store.rollups().runOnce().rawRows()).isZero();
        assertThat(await(store.write("srv-1", 2, report(T.plusSeconds(20), 20)))).isEqualTo(WriteOutcome.DUPLICATE);
        assertThat(store.rollups().runOnce().rawRows()).isZero();
        assertThat(rollup("metric_1m", "srv-1", CPU).get(T.toEpochMilli())).isEqualTo(new Aggregate(10, 30, 60, 3));

        // A late report (e.g. from an agent's spool) merges into the existing buckets.
        write("srv-1", 6, T.plusSeconds(30), 5);
        assertThat(store.rollups().runOnce().rawRows()).isEqualTo(1);
        assertThat(rollup("metric_1m", "srv-1", CPU).get(T.toEpochMilli())).isEqualTo(new Aggregate(5, 30, 65, 4));
        assertThat(rollup("metric_1h", "srv-1", CPU).get(T.toEpochMilli())).isEqualTo(new Aggregate(5, 40, 105, 5));
    }

    @Test
    void twoWritersAndTwoConcurrentRollupJobsCountEveryReportExactlyOnce() throws Exception {
        MetricStore other = open(SETTINGS, blocking);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
            List<Future<Long>> rollupLoops = new ArrayList<>();
            for (MetricStore node : List.of(store, other)) {
                rollupLoops.add(jobs.submit(() -> {
                    long rolled = 0;
                    for (int run = 0; run < 20; run++) {
                        rolled += node.rollups().runOnce().rawRows();
                    }
                    return rolled;
                }));
            }
            for (int seq = 1; seq <= 150; seq++) {
                Instant at = T.plusSeconds(seq);
                writes.add(store.write("srv-a", seq, report(at, seq)).toCompletableFuture());
                writes.add(other.write("srv-b", seq, report(at, seq)).toCompletableFuture());
                // The same server through both nodes, overlapping: every sequence is stored once.
                if (seq <= 100) {
                    writes.add(store.write("srv-c", seq, report(at, seq)).toCompletableFuture());
                }
                if (seq > 50) {
                    writes.add(other.write("srv-c", seq, report(at, seq)).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            long rolledConcurrently = 0;
            for (Future<Long> loop : rollupLoops) {
                rolledConcurrently += loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            long rolledAfter = store.rollups().runOnce().rawRows();

            assertThat(rolledConcurrently + rolledAfter).isEqualTo(450);
            assertThat(writes.stream().filter(w -> w.join() == WriteOutcome.STORED)).hasSize(450);
            double expectedSum = 150 * 151 / 2.0;
            for (String server : List.of("srv-a", "srv-b", "srv-c")) {
                assertThat(rollup("metric_1h", server, CPU)).containsExactly(
                        Map.entry(T.toEpochMilli(), new Aggregate(1, 150, expectedSum, 150)));
                Aggregate minutes = rollup("metric_1m", server, CPU).values().stream()
                        .reduce(Aggregate::merge).orElseThrow();
                assertThat(minutes).isEqualTo(new Aggregate(1, 150, expectedSum, 150));
            }
        } finally {
            jobs.shutdownNow();
        }
    }

    @Test
    void scheduledJobsRollUpPackAndApplyRetentionByThemselves() throws Exception {
        MetricStore scheduled = open(SETTINGS.withIntervals(Duration.ofMillis(20), Duration.ofMillis(20)), blocking);
        scheduled.scheduleJobs();
        Instant now = Instant.now();
        Instant recent = now.minus(Duration.ofMinutes(5));
        Instant old = now.minus(Duration.ofDays(8));

        assertThat(await(scheduled.write("srv-1", 1, report(recent, 10)))).isEqualTo(WriteOutcome.STORED);
        assertThat(await(scheduled.write("srv-1", 2, report(old, 20)))).isEqualTo(WriteOutcome.STORED);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!(rollup("metric_1h", "srv-1", CPU).size() == 2
                && await(store.storedSequences("srv-1")).equals(List.of(1L))
                && queryLongs("SELECT COUNT(*) FROM metric_raw").equals(List.of(0L)))) {
            assertThat(System.nanoTime()).as("rolled up, packed, and the old report deleted in time")
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(10); // poll interval; the loop's condition is the synchronisation
        }
        assertThat(rollup("metric_1m", "srv-1", CPU).get(Resolution.ONE_MINUTE.bucketStart(recent.toEpochMilli())))
                .isEqualTo(new Aggregate(10, 10, 10, 1));
    }

    // ---- retention

    @Test
    void retentionDeletesOnlyRowsOlderThanTheirTierAndNeverRawRowsNotRolledUp() throws Exception {
        Instant now = T;
        write("srv-1", 1, now.minus(Duration.ofDays(731)), 1);
        write("srv-1", 2, now.minus(Duration.ofDays(91)), 2);
        write("srv-1", 3, now.minus(Duration.ofDays(8)), 3);
        write("srv-1", 4, now.minus(Duration.ofHours(1)), 4);

        assertThat(store.retention().runOnce(now)).isEqualTo(new RetentionJob.Result(0, 0, 0));
        assertThat(await(store.countReports("srv-1"))).isEqualTo(4);

        store.rollups().runOnce();
        RetentionJob.Result result = store.retention().runOnce(now);

        int series = Reports.SERIES_WITHOUT_DEVICES;
        assertThat(result).isEqualTo(new RetentionJob.Result(3, 2L * series, series));
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(4L);
        assertThat(rollup("metric_1m", "srv-1", CPU).keySet()).containsExactly(
                now.minus(Duration.ofDays(8)).toEpochMilli(), now.minus(Duration.ofHours(1)).toEpochMilli());
        assertThat(rollup("metric_1h", "srv-1", CPU).keySet()).containsExactly(
                now.minus(Duration.ofDays(91)).toEpochMilli(), now.minus(Duration.ofDays(8)).toEpochMilli(),
                now.minus(Duration.ofHours(1)).toEpochMilli());
        assertThat(store.retention().runOnce(now)).isEqualTo(new RetentionJob.Result(0, 0, 0));
    }

    // ---- compaction

    @Test
    void compactionPacksRolledUpClosedWindowsAndEveryReadSeesTheSameReports() throws Exception {
        writeEveryFiveSeconds(300); // T to T + 24:55
        Instant now = T.plus(Duration.ofMinutes(30));
        Instant to = T.plus(Duration.ofMinutes(25));
        SeriesResult rangeBefore = await(store.range("srv-1", CPU, T, to, Duration.ofSeconds(5), now));
        List<MetricRow> exportBefore = export(new MetricExportPlan("srv-1", null, T, to, Resolution.RAW, now));
        LatestSamples latestBefore = await(store.latest("srv-1")).orElseThrow();

        assertThat(store.compaction().runOnce()).as("nothing rolled up yet").isEqualTo(new CompactionJob.Result(0, 0));
        store.rollups().runOnce();
        TreeMap<Long, Aggregate> minutes = rollup("metric_1m", "srv-1", CPU);
        // Windows of 10 minutes: [T, T+10), [T+10, T+20), [T+20, T+30).
        assertThat(store.compaction().runOnce()).isEqualTo(new CompactionJob.Result(3, 300));
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_raw")).containsExactly(0L);
        assertThat(queryLongs("SELECT SUM(report_count) FROM metric_chunk")).containsExactly(300L);
        assertThat(store.compaction().runOnce()).isEqualTo(new CompactionJob.Result(0, 0));

        SeriesResult rangeAfter = await(store.range("srv-1", CPU, T, to, Duration.ofSeconds(5), now));
        assertThat(rangeAfter).isEqualTo(rangeBefore);
        assertThat(rangeAfter.resolution()).isEqualTo(Resolution.RAW);
        assertThat(await(store.exportResolution("srv-1", T, to, Duration.ofSeconds(5), now)))
                .isEqualTo(Resolution.RAW);
        assertThat(export(new MetricExportPlan("srv-1", null, T, to, Resolution.RAW, now)))
                .isEqualTo(exportBefore).hasSize(300 * Reports.SERIES_WITHOUT_DEVICES);
        assertThat(await(store.latest("srv-1")).orElseThrow()).isEqualTo(latestBefore);
        assertThat(await(store.lastStoredSequence("srv-1"))).isEqualTo(300);
        assertThat(await(store.countReports("srv-1"))).isEqualTo(300);
        assertThat(await(store.storedSequences("srv-1"))).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 300).boxed().toList());
        assertThat(store.rollups().runOnce().rawRows()).isZero();
        assertThat(rollup("metric_1m", "srv-1", CPU)).isEqualTo(minutes);

        // A replay of a packed report is a duplicate; new reports land in the tail and read with the chunks.
        assertThat(await(store.write("srv-1", 5, report(T.plusSeconds(20), 4)))).isEqualTo(WriteOutcome.DUPLICATE);
        write("srv-1", 301, T.plus(Duration.ofMinutes(26)), 77);
        assertThat(await(store.latest("srv-1")).orElseThrow().sequence()).isEqualTo(301);
        assertThat(await(store.countReports("srv-1"))).isEqualTo(301);
        assertThat(await(store.range("srv-1", CPU, T.plus(Duration.ofMinutes(24)), T.plus(Duration.ofMinutes(27)),
                Duration.ofSeconds(5), now)).points()).extracting(Point::value).endsWith(297.0, 298.0, 299.0, 77.0);
        // The fixture's series are mostly constant: well under the 4 bytes per sample the raw tier may take.
        assertThat(queryLongs("SELECT SUM(" + payloadLength() + ") FROM metric_chunk").get(0))
                .isLessThan(300L * Reports.SERIES_WITHOUT_DEVICES);
    }

    @Test
    void compactionPacksOnlyRolledUpRowsAndMergesLateOnesIntoTheirWindowsChunk() throws Exception {
        write("srv-1", 1, T.plusSeconds(10), 1);
        write("srv-1", 3, T.plus(Duration.ofMinutes(11)), 3);
        store.rollups().runOnce();
        write("srv-1", 2, T.plusSeconds(20), 2); // not rolled up yet

        assertThat(store.compaction().runOnce()).isEqualTo(new CompactionJob.Result(2, 2));
        assertThat(queryLongs("SELECT seq FROM metric_raw ORDER BY seq")).containsExactly(2L);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(1L, 2L, 3L);

        store.rollups().runOnce();
        // The late report goes into its window's chunk, rewritten: still one chunk per window.
        assertThat(store.compaction().runOnce()).isEqualTo(new CompactionJob.Result(1, 1));
        assertThat(queryLongs("SELECT report_count FROM metric_chunk ORDER BY end_ts")).containsExactly(2L, 1L);
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_raw")).containsExactly(0L);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(1L, 2L, 3L);
        assertThat(await(store.range("srv-1", CPU, T, T.plus(Duration.ofMinutes(15)), Duration.ofSeconds(5),
                T.plus(Duration.ofMinutes(20)))).points()).extracting(Point::value).containsExactly(1.0, 2.0, 3.0);
        assertThat(await(store.latest("srv-1")).orElseThrow().sequence()).isEqualTo(3);
    }

    @Test
    void concurrentCompactionsPackEveryReportExactlyOnce() throws Exception {
        for (int server = 1; server <= 4; server++) {
            for (int i = 0; i < 50; i++) {
                write("srv-" + server, i + 1, T.plusSeconds(30L * i), i);
            }
        }
        store.rollups().runOnce();
        MetricStore other = open(SETTINGS, blocking);
        Instant now = T.plus(Duration.ofHours(1));
        CompletableFuture<CompactionJob.Result> first = store.compactNow().toCompletableFuture();
        CompletableFuture<CompactionJob.Result> second = other.compactNow().toCompletableFuture();
        long packed = first.get(WAIT_SECONDS, TimeUnit.SECONDS).reports() + second.get(WAIT_SECONDS, TimeUnit.SECONDS)
                .reports();
        packed += store.compaction().runOnce().reports(); // what a collision left for the next run

        assertThat(packed).isEqualTo(200);
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_raw")).containsExactly(0L);
        for (int server = 1; server <= 4; server++) {
            assertThat(await(store.storedSequences("srv-" + server))).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    void retentionPurgeAndServerDeletionRemoveChunksByTheirNewestReport() throws Exception {
        Instant now = T;
        write("srv-1", 1, now.minus(Duration.ofDays(9)), 1);
        write("srv-1", 2, now.minus(Duration.ofDays(9)).plusSeconds(5), 2);
        write("srv-1", 3, now.minus(Duration.ofDays(3)), 3);
        write("srv-2", 1, now.minus(Duration.ofDays(3)), 3);
        store.rollups().runOnce();
        assertThat(store.compaction().runOnce()).isEqualTo(new CompactionJob.Result(3, 4));

        assertThat(store.retention().runOnce(now).rawRows()).isEqualTo(2);
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(3L);

        DataPurge purge = new DataPurge(database, SETTINGS);
        assertThat(purge.preview(now.minus(Duration.ofDays(1))).rawRows()).isEqualTo(2);
        assertThat(purge.purge(now.minus(Duration.ofDays(1))).rawRows()).isEqualTo(2);
        assertThat(await(store.countReports("srv-1"))).isZero();

        write("srv-3", 1, now.minus(Duration.ofDays(1)), 1);
        store.rollups().runOnce();
        store.compaction().runOnce();
        await(store.deleteServer("srv-3"));
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_chunk")).containsExactly(0L);
    }

    List<MetricRow> export(MetricExportPlan plan) throws Exception {
        return store.export(plan).runWith(org.apache.pekko.stream.javadsl.Sink.seq(), testKit.system())
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS).stream().flatMap(List::stream).toList();
    }

    /** The SQL for a chunk payload's length in bytes. */
    String payloadLength() {
        return database.kind() == DatabaseSettings.Kind.POSTGRESQL ? "octet_length(payload)" : "OCTET_LENGTH(payload)";
    }

    // ---- queries

    @Test
    void rangeReadsRawDataForShortRangesAndThinsItToTheChartBudget() throws Exception {
        MetricStore charts = open(SETTINGS.withQueryLimits(10_000, 60), blocking);
        writeEveryFiveSeconds(300);
        Instant now = T.plus(Duration.ofMinutes(30));

        SeriesResult all = await(charts.range("srv-1", CPU, T, T.plus(Duration.ofMinutes(25)), Duration.ofSeconds(5),
                now));
        assertThat(all.resolution()).isEqualTo(Resolution.RAW);
        assertThat(all.series()).isEqualTo(CPU);
        assertThat(all.points()).hasSizeLessThanOrEqualTo(60).hasSizeGreaterThan(30);
        assertThat(all.points()).isSortedAccordingTo((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
        assertThat(all.points().stream().mapToDouble(Point::min).min().orElseThrow()).isEqualTo(0);
        assertThat(all.points().stream().mapToDouble(Point::max).max().orElseThrow()).isEqualTo(299);

        SeriesResult few = await(charts.range("srv-1", CPU, T, T.plusSeconds(100), Duration.ofSeconds(5), now));
        assertThat(few.resolution()).isEqualTo(Resolution.RAW);
        assertThat(few.points()).extracting(Point::value)
                .containsExactlyElementsOf(LongStream.rangeClosed(0, 20).mapToObj(i -> (double) i).toList());
        assertThat(few.points().get(3)).isEqualTo(Point.of(T.plusSeconds(15).toEpochMilli(), 3));
    }

    @Test
    void rangeReadsMinuteRollupsForDaysIncludingReportsNotYetRolledUp() throws Exception {
        writeEveryFiveSeconds(300);
        Instant from = T.minus(Duration.ofDays(1));
        Instant to = T.plus(Duration.ofDays(1));

        // The pending raw rows are folded in while they are recent (within four rollup intervals of now)...
        Instant soon = T.plus(Duration.ofMinutes(30));
        SeriesResult pending = await(store.range("srv-1", CPU, from, to, Duration.ofSeconds(5), soon));
        assertThat(pending.resolution()).isEqualTo(Resolution.ONE_MINUTE);
        assertThat(pending.points()).hasSize(25);
        assertThat(pending.points().get(0)).isEqualTo(new Point(T.toEpochMilli(), 5.5, 0, 11));
        // ...but not when older: those only appear once the rollup job has run.
        Instant later = T.plus(Duration.ofHours(6));
        assertThat(await(store.range("srv-1", CPU, from, to, Duration.ofSeconds(5), later)).points()).isEmpty();

        store.rollups().runOnce();

        assertThat(await(store.range("srv-1", CPU, from, to, Duration.ofSeconds(5), soon)).points())
                .isEqualTo(pending.points());
        SeriesResult rolledUp = await(store.range("srv-1", CPU, from, to, Duration.ofSeconds(5), later));
        assertThat(rolledUp.points()).isEqualTo(pending.points());
        assertThat(rolledUp.points().get(24)).isEqualTo(new Point(T.plus(Duration.ofMinutes(24)).toEpochMilli(),
                293.5, 288, 299));
    }

    @Test
    void rangeReadsHourRollupsForMonthsAndOlderRangesFromCoarserTiers() throws Exception {
        writeEveryFiveSeconds(300);
        store.rollups().runOnce();
        Instant now = T.plus(Duration.ofMinutes(30));

        SeriesResult month = await(store.range("srv-1", CPU, T.minus(Duration.ofDays(30)), now,
                Duration.ofSeconds(5), now));
        assertThat(month.resolution()).isEqualTo(Resolution.ONE_HOUR);
        assertThat(month.points()).containsExactly(new Point(T.toEpochMilli(), 149.5, 0, 299));

        // Raw data is kept 7 days: a range starting earlier is served from the 1-minute tier.
        Instant laterNow = T.plus(Duration.ofDays(7)).plusSeconds(1);
        SeriesResult old = await(store.range("srv-1", CPU, T, T.plus(Duration.ofHours(1)), Duration.ofSeconds(5),
                laterNow));
        assertThat(old.resolution()).isEqualTo(Resolution.ONE_MINUTE);
        assertThat(old.points()).hasSize(25);
    }

    @Test
    void rangeFallsBackToMinuteRollupsWhenRawDataIsDenserThanTheReportIntervalSuggests() throws Exception {
        MetricStore tight = open(SETTINGS.withQueryLimits(50, 1_000), blocking);
        writeEveryFiveSeconds(300);
        store.rollups().runOnce();

        // 25 minutes at a claimed 60 s interval looks like 25 rows; there are 300.
        SeriesResult result = await(tight.range("srv-1", CPU, T, T.plus(Duration.ofMinutes(25)),
                Duration.ofSeconds(60), T.plus(Duration.ofMinutes(30))));

        assertThat(result.resolution()).isEqualTo(Resolution.ONE_MINUTE);
        assertThat(result.points()).hasSize(25);
    }

    @Test
    void rangeRejectsInvalidArgumentsWithClearMessages() {
        Instant now = T;
        assertThatThrownBy(() -> await(store.range("srv-1", CPU, T, T, Duration.ofSeconds(5), now)))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> await(store.range("srv-1", CPU, T.minus(Duration.ofDays(4000)), T,
                Duration.ofSeconds(5), now)))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 3660 days");
        assertThatThrownBy(() -> await(store.range("srv-1", "CPU percent", T.minusSeconds(60), T,
                Duration.ofSeconds(5), now)))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> await(store.range("srv-1", CPU, T.minusSeconds(60), T, Duration.ZERO, now)))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("reportInterval");
    }

    @Test
    void latestAndLastStoredSequenceFollowTheNewestReport() throws Exception {
        assertThat(await(store.lastStoredSequence("srv-1"))).isZero();
        assertThat(await(store.latest("srv-1"))).isEmpty();
        assertThat(await(MetricStoreSeams.lastKnownValues(store).load("srv-1"))).isEmpty();

        write("srv-1", 3, T.plusSeconds(10), 30);
        write("srv-1", 1, T, 10);
        write("srv-1", 2, T.plusSeconds(20), 20);

        assertThat(await(store.lastStoredSequence("srv-1"))).isEqualTo(3);
        assertThat(await(MetricStoreSeams.reportSink(store).lastStoredSequence("srv-1"))).isEqualTo(3);
        LatestSamples latest = await(store.latest("srv-1")).orElseThrow();
        assertThat(latest.collectedAt()).isEqualTo(T.plusSeconds(20));
        assertThat(latest.sequence()).isEqualTo(2);
        assertThat(latest.samples()).hasSize(Reports.SERIES_WITHOUT_DEVICES).containsEntry(CPU, 20.0);
        assertThat(await(MetricStoreSeams.lastKnownValues(store).load("srv-1"))).contains(new ServerSummary.Headline(
                T.plusSeconds(20), 20, Reports.MEMORY_PERCENT, Reports.DISK_PERCENT, Reports.LOAD_1, Reports.UPTIME_SECONDS));
        assertThat(await(store.lastStoredSequence("srv-2"))).isZero();
    }

    @Test
    void deletingAServerRemovesItsReportsAndRollupsOnly() throws Exception {
        for (int seq = 1; seq <= 10; seq++) {
            write("srv-1", seq, T.plus(Duration.ofMinutes(seq * 10L)), seq);
            write("srv-2", seq, T.plus(Duration.ofMinutes(seq * 10L)), seq);
        }
        store.rollups().runOnce();

        await(store.deleteServer("srv-1"));

        assertThat(await(store.countReports("srv-1"))).isZero();
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_1m WHERE server_id = 'srv-1'")).containsExactly(0L);
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_1h WHERE server_id = 'srv-1'")).containsExactly(0L);
        assertThat(await(store.countReports("srv-2"))).isEqualTo(10);
        assertThat(queryLongs("SELECT COUNT(*) FROM metric_1m WHERE server_id = 'srv-2'"))
                .containsExactly(10L * Reports.SERIES_WITHOUT_DEVICES);
        assertThat(rollup("metric_1h", "srv-2", CPU).values().stream().mapToLong(Aggregate::count).sum())
                .isEqualTo(10);
    }

    // ---- helpers

    private void writeEveryFiveSeconds(int reports) throws Exception {
        List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
        for (int i = 0; i < reports; i++) {
            writes.add(store.write("srv-1", i + 1, report(T.plusSeconds(5L * i), i)).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    void write(String serverId, long sequence, Instant at, double cpu) throws Exception {
        assertThat(await(store.write(serverId, sequence, report(at, cpu)))).isEqualTo(WriteOutcome.STORED);
    }

    static <T> T await(CompletionStage<T> stage) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    TreeMap<Long, Aggregate> rollup(String table, String serverId, String series) throws SQLException {
        TreeMap<Long, Aggregate> buckets = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT bucket, min_value, max_value,"
                        + " sum_value, sample_count FROM " + table + " WHERE server_id = ? AND series = ?")) {
            statement.setString(1, serverId);
            statement.setString(2, series);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    buckets.put(rows.getLong(1),
                            new Aggregate(rows.getDouble(2), rows.getDouble(3), rows.getDouble(4), rows.getLong(5)));
                }
            }
        }
        return buckets;
    }

    List<Long> queryLongs(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        }
        return values;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A report with the fewest series (see {@link Reports#SERIES_WITHOUT_DEVICES}), its CPU at {@code cpuPercent}. */
    static MetricsReport report(java.time.Instant collectedAt, double cpuPercent) {
        return Reports.at(collectedAt).cpu(cpuPercent).withoutDevices().build();
    }
}
