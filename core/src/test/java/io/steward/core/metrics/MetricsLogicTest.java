package io.steward.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.protocol.WireFormatTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsLogicTest {

    @Test
    void reportBecomesNamedSeries() {
        Map<String, Double> samples = ReportSamples.of(WireFormatTest.sampleReport());
        assertThat(samples)
                .containsEntry("cpu.percent", 12.5)
                .containsEntry("load.1", 0.5)
                .containsEntry("memory.percent", 25.0)
                .containsEntry("disk.percent{mount=/}", 40.0)
                .containsEntry("net.rx.bytes{iface=eth0}", 100.0)
                .containsEntry("disk.write.bytes{disk=vda}", 2048.0);
    }

    @Test
    void codecRoundTripsAndFindsOneSeries() {
        Map<String, Double> samples = ReportSamples.of(WireFormatTest.sampleReport());
        byte[] encoded = SampleCodec.encode(samples);
        assertThat(SampleCodec.decode(encoded)).isEqualTo(samples);
        assertThat(SampleCodec.find(encoded, "disk.percent{mount=/}")).isEqualTo(40.0);
        assertThat(SampleCodec.find(encoded, "nope")).isNaN();
    }

    @Test
    void seriesNamesParseAndRejectJunk() {
        assertThat(SeriesName.parse("disk.percent{mount=/var/lib}"))
                .isEqualTo(SeriesName.of("disk.percent", "mount", "/var/lib"));
        assertThat(SeriesName.parse("cpu.percent").toString()).isEqualTo("cpu.percent");
        assertThatThrownBy(() -> SeriesName.parse("cpu.percent{mount")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesName.parse("DROP TABLE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesName.parse("x".repeat(300))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aggregatesMerge() {
        Aggregate a = Aggregate.of(1).add(5);
        Aggregate b = Aggregate.of(3);
        Aggregate merged = a.merge(b);
        assertThat(merged).isEqualTo(new Aggregate(1, 5, 9, 3));
        assertThat(merged.average()).isEqualTo(3.0);
    }

    @Test
    void downsamplerKeepsSpikesAndBudget() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            points.add(Point.of(i * 1000L, i == 5000 ? 100 : 1));
        }
        List<Point> thinned = Downsampler.toAtMost(points, 1000, 0, 10_000_000L);
        assertThat(thinned).hasSizeLessThanOrEqualTo(1000);
        assertThat(thinned.stream().mapToDouble(Point::max).max().orElseThrow()).isEqualTo(100);
        assertThat(thinned).isSortedAccordingTo((x, y) -> Long.compare(x.epochMillis(), y.epochMillis()));
        assertThat(Downsampler.toAtMost(points.subList(0, 10), 1000, 0, 10_000)).hasSize(10);
    }

    @Test
    void plannerPicksFinestTierThatHoldsTheRange() {
        TierPlanner planner = new TierPlanner(Duration.ofDays(7), Duration.ofDays(90), 10_000);
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        Duration fiveSeconds = Duration.ofSeconds(5);
        assertThat(planner.choose(now.minus(Duration.ofHours(1)), now, now, fiveSeconds)).isEqualTo(Resolution.RAW);
        assertThat(planner.choose(now.minus(Duration.ofDays(2)), now, now, fiveSeconds))
                .isEqualTo(Resolution.ONE_MINUTE);
        assertThat(planner.choose(now.minus(Duration.ofDays(30)), now, now, fiveSeconds))
                .isEqualTo(Resolution.ONE_HOUR);
        // Beyond raw retention even a short range must come from rollups.
        Instant old = now.minus(Duration.ofDays(10));
        assertThat(planner.choose(old, old.plus(Duration.ofMinutes(10)), now, fiveSeconds))
                .isEqualTo(Resolution.ONE_MINUTE);
        assertThat(Resolution.ONE_MINUTE.bucketStart(125_000)).isEqualTo(120_000);
    }
}
