package io.steward.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.testing.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A PostgreSQL outage fails writes promptly, and the same writer stores again once the database is back. */
class MetricWriterOutageTest {
    private static final Logger log = LoggerFactory.getLogger(MetricWriterOutageTest.class);
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    /** Attempts after the restart: the first may still meet a connection the outage broke. */
    private static final int ATTEMPTS_AFTER_RESTART = 5;

    private PostgresServer postgres;
    private ActorTestKit testKit;
    private ExecutorService blocking;
    private Database database;
    private MetricStore store;

    @BeforeEach
    void start() throws SQLException {
        postgres = PostgresServer.start();
        testKit = ActorTestKit.create("MetricWriterOutageTest",
                ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
        blocking = Executors.newFixedThreadPool(2);
        database = Database.open(new DatabaseSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2)
                .withConnectionTimeout(Duration.ofSeconds(1)));
        database.migrate();
        store = MetricStore.open(testKit.system(), database, StoreSettings.defaults(), blocking);
    }

    @AfterEach
    void stop() throws Exception {
        store.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        database.close();
        testKit.shutdownTestKit();
        blocking.shutdownNow();
        postgres.close();
    }

    @Test
    void writesFailDuringAnOutageAndSucceedAfterIt() throws Exception {
        assertThat(await(store.write("srv-1", 1, report(T, 1)))).isEqualTo(WriteOutcome.STORED);

        postgres.stop();
        long started = System.nanoTime();
        assertThatThrownBy(() -> await(store.write("srv-1", 2, report(T, 2))))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SQLException.class);
        Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
        assertThat(failedAfter).isLessThan(Duration.ofSeconds(10));
        assertThat(database.isReachable(Duration.ofMillis(500))).isFalse();

        postgres.startAgain();
        WriteOutcome outcome = null;
        int attempt = 0;
        while (outcome == null) {
            attempt++;
            try {
                outcome = await(store.write("srv-1", 3, report(T, 3)));
            } catch (ExecutionException e) {
                if (attempt == ATTEMPTS_AFTER_RESTART) {
                    throw e;
                }
            }
        }
        log.info("During the outage a write failed after [{}] ms; after it, attempt [{}] stored",
                failedAfter.toMillis(), attempt);
        assertThat(outcome).isEqualTo(WriteOutcome.STORED);
        assertThat(database.isReachable(Duration.ofSeconds(5))).isTrue();
        assertThat(await(store.storedSequences("srv-1"))).containsExactly(1L, 3L);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A report with the fewest series (see {@link Reports#SERIES_WITHOUT_DEVICES}), its CPU at {@code cpuPercent}. */
    private static MetricsReport report(java.time.Instant collectedAt, double cpuPercent) {
        return Reports.at(collectedAt).cpu(cpuPercent).withoutDevices().build();
    }
}
