package io.steward.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        StoreSettings defaults = StoreSettings.defaults();

        assertThat(defaults.queueSize()).isEqualTo(20_000);
        assertThat(defaults.maxBatch()).isEqualTo(1_000);
        assertThat(defaults.maxBatchDelay()).isEqualTo(Duration.ofMillis(20));
        assertThat(defaults.rawRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.minuteRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(defaults.hourRetention()).isEqualTo(Duration.ofDays(730));
        assertThat(defaults.rollupInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.retentionInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.compactionWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.maxRowsRead()).isEqualTo(10_000);
        assertThat(defaults.maxPoints()).isEqualTo(1_000);
        assertThat(defaults.rollupChunkRows()).isEqualTo(5_000);
        assertThat(defaults.deleteChunkRows()).isEqualTo(10_000);
    }

    @Test
    void theNodesApplicationConfMatchesTheDefaults() {
        Config config = ConfigFactory.parseResources("application.conf").resolve();

        assertThat(StoreSettings.fromConfig(config)).isEqualTo(StoreSettings.defaults());
    }

    @Test
    void readsEveryKeyOfTheStoreSection() {
        Config config = ConfigFactory.parseString("""
                steward.store {
                  queue-size = 10
                  max-batch = 5
                  max-batch-delay = 3ms
                  retention { raw = 1d, one-minute = 2d, one-hour = 3d }
                  rollup-interval = 4s
                  retention-interval = 5m
                  max-rows-read = 600
                  max-points = 70
                  rollup-chunk-rows = 80
                  delete-chunk-rows = 90
                  compaction.window = 15m
                  max-queue-wait = 7s
                }""");

        assertThat(StoreSettings.fromConfig(config)).isEqualTo(new StoreSettings(10, 5, Duration.ofMillis(3),
                Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(3), Duration.ofSeconds(4),
                Duration.ofMinutes(5), 600, 70, 80, 90, Duration.ofMinutes(15), Duration.ofSeconds(7)));
    }

    @Test
    void refusesNonsenseWithTheKeyNamed() {
        StoreSettings defaults = StoreSettings.defaults();
        assertThatThrownBy(() -> defaults.withQueue(0, 1, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steward.store.queue-size must be >= 1, was 0");
        assertThatThrownBy(() -> defaults.withQueue(1, 1, Duration.ZERO))
                .hasMessageContaining("steward.store.max-batch-delay must be positive");
        assertThatThrownBy(() -> new StoreSettings(1, 1, Duration.ofMillis(1), Duration.ofDays(9),
                Duration.ofDays(8), Duration.ofDays(10), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, 1, 1,
                Duration.ofMinutes(10), Duration.ofSeconds(2)))
                .hasMessageContaining("retention must not shrink");
        assertThatThrownBy(() -> defaults.withMaxQueueWait(Duration.ZERO))
                .hasMessageContaining("steward.store.max-queue-wait must be positive");
        assertThatThrownBy(() -> defaults.withCompactionWindow(Duration.ofDays(2)))
                .hasMessageContaining("steward.store.compaction.window must be at most");
    }
}
