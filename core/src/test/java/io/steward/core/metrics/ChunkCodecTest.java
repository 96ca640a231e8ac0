package io.steward.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

    @Test
    void roundTripsEveryKindOfValueBitForBit() {
        double[] awkward = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 0.1 + 0.2, 12.34, -7.5, 1e15, 9.1e15,
                Math.PI, Double.longBitsToDouble(0x7ff8_0000_0000_0001L)};
        List<ChunkReport> reports = new ArrayList<>();
        for (int i = 0; i < awkward.length; i++) {
            Map<String, Double> samples = new LinkedHashMap<>();
            samples.put("odd", awkward[i]);
            samples.put("same", 42.0);
            samples.put("odd.reversed", awkward[awkward.length - 1 - i]);
            reports.add(new ChunkReport(1_000L * i, i + 1, samples));
        }
        assertRoundTrip(reports);
    }

    @Test
    void roundTripsRandomFleetsWithGapsRepeatsAndSeriesComingAndGoing() {
        SplittableRandom random = new SplittableRandom(16);
        for (int trial = 0; trial < 300; trial++) {
            int reportCount = random.nextInt(0, 200);
            int seriesCount = random.nextInt(1, 12);
            List<ChunkReport> reports = new ArrayList<>();
            long time = random.nextLong(-1L << 40, 1L << 42);
            long sequence = random.nextLong(1, 1L << 40);
            double[] walk = new double[seriesCount];
            for (int r = 0; r < reportCount; r++) {
                time += random.nextInt(4) == 0 ? random.nextLong(-5_000, 3_600_000) : 1_000 + random.nextInt(-3, 4);
                sequence += random.nextInt(5) == 0 ? random.nextLong(1, 1_000) : 1;
                Map<String, Double> samples = new LinkedHashMap<>();
                for (int s = 0; s < seriesCount; s++) {
                    if (random.nextInt(10) == 0) {
                        continue; // the series is missing from this report
                    }
                    walk[s] = nextValue(random, s, walk[s]);
                    samples.put("series." + s + "{k=v" + (s % 3) + "}", walk[s]);
                }
                reports.add(new ChunkReport(time, sequence, samples));
            }
            assertRoundTrip(reports);
        }
    }

    /** Per series a different shape: rounded walks, integers, counters, constants, raw doubles, specials. */
    private static double nextValue(SplittableRandom random, int series, double previous) {
        return switch (series % 7) {
            case 0 -> Math.round((previous + random.nextDouble(-5, 5)) * 100) / 100.0;
            case 1 -> Math.round(random.nextDouble() * 4e6);
            case 2 -> previous + 1;
            case 3 -> 7;
            case 4 -> random.nextDouble() * 1e9 - 5e8;
            case 5 -> random.nextInt(20) == 0 ? Double.NaN : random.nextInt(3) - 1.5;
            default -> random.nextBoolean() ? previous : Math.round(random.nextGaussian() * 1e6) / 1000.0;
        };
    }

    @Test
    void storesSimulatedReportsInAFewBytesPerSample() {
        SplittableRandom random = new SplittableRandom(3);
        List<ChunkReport> reports = new ArrayList<>();
        double cpu = 20;
        long memory = 8L << 30;
        for (int r = 0; r < 600; r++) {
            cpu = Math.max(0, Math.min(100, cpu + random.nextDouble(-6, 6)));
            memory += random.nextLong(-50_000_000, 50_000_000);
            Map<String, Double> samples = new LinkedHashMap<>();
            samples.put("cpu.percent", Math.round(cpu * 100) / 100.0);
            samples.put("memory.used.bytes", (double) memory);
            samples.put("processes.count", 80.0);
            samples.put("uptime.seconds", 86_400.0 + r);
            samples.put("net.rx.bytes{iface=eth0}", Math.round(random.nextDouble() * 1e6 * 100) / 100.0);
            reports.add(new ChunkReport(1_700_000_000_000L + r * 1_000L + random.nextInt(-2, 3), r + 1, samples));
        }
        byte[] chunk = ChunkCodec.encode(reports);
        double perSample = (double) chunk.length / (600 * 5);
        // Raw rows took ~45 bytes per sample; these five series are a mix of noise (net bytes: ~27 bits of entropy
        // each) and easy columns.
        assertThat(perSample).isLessThan(2.5);
        assertRoundTrip(reports);
    }

    @Test
    void readsOneSeriesTimesAndSequencesWithoutTheRest() {
        List<ChunkReport> reports = List.of(
                new ChunkReport(1_000, 5, Map.of("a", 1.5)),
                new ChunkReport(2_000, 6, new LinkedHashMap<>(Map.of("a", 2.5, "b", 3.0))),
                new ChunkReport(3_000, 9, Map.of("b", 4.0)));
        byte[] chunk = ChunkCodec.encode(reports);

        assertThat(ChunkCodec.series(chunk, "a")).containsExactly(Point.of(1_000, 1.5), Point.of(2_000, 2.5));
        assertThat(ChunkCodec.series(chunk, "b")).containsExactly(Point.of(2_000, 3.0), Point.of(3_000, 4.0));
        assertThat(ChunkCodec.series(chunk, "c")).isEmpty();
        assertThat(ChunkCodec.timestamps(chunk)).containsExactly(1_000, 2_000, 3_000);
        assertThat(ChunkCodec.sequences(chunk)).containsExactly(5, 6, 9);
    }

    @Test
    void refusesWhatIsNotAChunk() {
        byte[] chunk = ChunkCodec.encode(List.of(new ChunkReport(1, 1, Map.of("a", 1.0, "b", Math.PI))));
        assertThatThrownBy(() -> ChunkCodec.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        for (int cut = 1; cut < chunk.length; cut++) {
            byte[] truncated = Arrays.copyOf(chunk, cut);
            assertThatThrownBy(() -> ChunkCodec.decode(truncated)).as("cut at " + cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void assertRoundTrip(List<ChunkReport> reports) {
        byte[] chunk = ChunkCodec.encode(reports);
        List<ChunkReport> decoded = ChunkCodec.decode(chunk);
        assertThat(decoded).hasSameSizeAs(reports);
        for (int i = 0; i < reports.size(); i++) {
            ChunkReport expected = reports.get(i);
            ChunkReport actual = decoded.get(i);
            assertThat(actual.epochMillis()).isEqualTo(expected.epochMillis());
            assertThat(actual.sequence()).isEqualTo(expected.sequence());
            assertThat(actual.samples().keySet()).containsExactlyInAnyOrderElementsOf(expected.samples().keySet());
            for (Map.Entry<String, Double> sample : expected.samples().entrySet()) {
                assertThat(Double.doubleToRawLongBits(actual.samples().get(sample.getKey())))
                        .as("report %d series %s", i, sample.getKey())
                        .isEqualTo(Double.doubleToRawLongBits(sample.getValue()));
            }
        }
        for (String name : reports.stream().flatMap(r -> r.samples().keySet().stream()).distinct().toList()) {
            List<Point> expected = new ArrayList<>();
            for (ChunkReport report : reports) {
                Double value = report.samples().get(name);
                if (value != null) {
                    expected.add(Point.of(report.epochMillis(), value));
                }
            }
            List<Point> actual = ChunkCodec.series(chunk, name);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).epochMillis()).isEqualTo(expected.get(i).epochMillis());
                assertThat(Double.doubleToRawLongBits(actual.get(i).value()))
                        .isEqualTo(Double.doubleToRawLongBits(expected.get(i).value()));
            }
        }
    }
}
