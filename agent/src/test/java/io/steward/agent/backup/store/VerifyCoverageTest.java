package io.steward.agent.backup.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daily samples go through every file once per coverage window, least recently tried first. */
class VerifyCoverageTest {
    private static final List<String> FILES = IntStream.range(0, 100).mapToObj(i -> String.format("srv/f%03d", i))
            .toList();
    private static final long DAY = 20_000;

    @Test
    void dailySamplesCoverEveryFileWithinTheWindow() {
        VerifyCoverage coverage = VerifyCoverage.NONE;
        Set<String> seen = new HashSet<>();
        for (int day = 0; day < 7; day++) {
            List<String> sample = coverage.sample(FILES, DAY + day, 7);
            assertThat(sample).hasSize(15); // ceil(100 / 7)
            // Files never tried come first.
            assertThat(seen).doesNotContainAnyElementsOf(sample.subList(0, Math.min(15, 100 - seen.size())));
            seen.addAll(sample);
            coverage = coverage.after(DAY + day, FILES, sample, sample);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(FILES);
        assertThat(coverage.percent(FILES, DAY + 6, 7)).isEqualTo(100.0);
        // A day later the first day's files have left the window, but for the 5 the last sample tried again.
        assertThat(coverage.percent(FILES, DAY + 7, 7)).isEqualTo(90.0);
    }

    @Test
    void aSkippedFileIsTriedLaterButNotCountedAsVerified() {
        List<String> sample = VerifyCoverage.NONE.sample(FILES, DAY, 10);
        List<String> verified = new ArrayList<>(sample.subList(1, sample.size()));
        VerifyCoverage coverage = VerifyCoverage.NONE.after(DAY, FILES, verified, sample);
        assertThat(coverage.percent(FILES, DAY, 10)).isEqualTo(9.0);
        assertThat(coverage.sample(FILES, DAY + 1, 10)).doesNotContain(sample.get(0));
    }

    @Test
    void afterAGapTheSampleCatchesUpAndGoneFilesAreForgotten(@TempDir Path directory) throws Exception {
        VerifyCoverage coverage = VerifyCoverage.NONE.after(DAY, FILES, FILES.subList(0, 10), FILES.subList(0, 10));
        assertThat(coverage.sample(FILES, DAY + 3, 10)).hasSize(30);
        assertThat(coverage.sample(FILES, DAY + 30, 10)).hasSize(100);
        VerifyCoverage shrunk = coverage.after(DAY + 1, FILES.subList(5, 100), List.of(), List.of());
        assertThat(shrunk.files()).doesNotContainKey("srv/f000").containsKey("srv/f005");

        CoverageStore store = new CoverageStore(directory);
        assertThat(store.load("www").lastRun()).isEqualTo(-1);
        store.save("www", coverage);
        VerifyCoverage loaded = new CoverageStore(directory).load("www");
        assertThat(loaded.lastRun()).isEqualTo(DAY);
        assertThat(loaded.percent(FILES, DAY, 10)).isEqualTo(10.0);
    }
}
