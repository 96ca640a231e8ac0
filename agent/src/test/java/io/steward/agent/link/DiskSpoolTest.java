package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest extends SpoolContract {
    /** Small segments, so a few reports make several files. */
    private static final long SEGMENT_BYTES = 2048;

    @TempDir
    Path directory;

    @Override
    protected Spool open(SpoolBounds bounds) throws IOException {
        return DiskSpool.open(directory, bounds, clock, SEGMENT_BYTES);
    }

    private DiskSpool reopen() throws IOException {
        return DiskSpool.open(directory, roomy(), clock, SEGMENT_BYTES);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void unacknowledgedReportsSurviveAReopenInOrder() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 7; i++) {
                spool.append(report());
            }
            spool.acknowledge(1);
            spool.acknowledge(2);
        }
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsExactly(3L, 4L, 5L, 6L, 7L);
            assertThat(numberOf(spool.next(3))).isEqualTo(3.0);
            assertThat(spool.pendingCount()).isEqualTo(5);
            assertThat(spool.append(report())).isEqualTo(8);
        }
    }

    @Test
    void aCrashWithoutCloseLosesNothingAndReusesNoSequence() throws Exception {
        Spool crashed = open(roomy());
        for (int i = 0; i < 5; i++) {
            crashed.append(report());
        }
        crashed.acknowledge(1);
        // No close: the acknowledgement watermark may not be on disk. Replays are fine, gaps and reuse are not.
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsSubsequence(2L, 3L, 4L, 5L).doesNotContain(6L);
            assertThat(spool.nextSequence()).isEqualTo(6);
        }
        crashed.close();
    }

    @Test
    void theSequenceNeverGoesBackEvenWhenEverythingWasAcknowledged() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 20; i++) {
                spool.acknowledge(spool.append(report()));
            }
        }
        try (DiskSpool spool = reopen()) {
            assertThat(spool.pendingCount()).isZero();
            assertThat(spool.append(report())).isEqualTo(21);
        }
    }

    @Test
    void aTornLastLineLeftByACrashIsSkipped() throws Exception {
        try (Spool spool = open(roomy())) {
            spool.append(report());
            spool.append(report());
        }
        Path last = segmentFiles().get(segmentFiles().size() - 1);
        Files.write(last, "3 1795000000000 0 0badc0de {\"collectedAt\":\"2026-".getBytes(UTF_8),
                StandardOpenOption.APPEND);
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsExactly(1L, 2L);
            assertThat(spool.append(report())).isEqualTo(3);
            assertThat(numberOf(spool.next(3))).isEqualTo(3.0);
        }
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aDamagedLineIsSkippedAndTheRestKept() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 3; i++) {
                spool.append(report());
            }
        }
        // Record 2 is the only one in its segment (segments here hold one report); damage a byte of its JSON.
        Path segment = directory.resolve(String.format("segment-%020d.log", 2));
        String content = Files.readString(segment, UTF_8);
        int where = content.indexOf("\"cpu\"");
        Files.writeString(segment, content.substring(0, where) + "\"CPU\"" + content.substring(where + 5), UTF_8);
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsExactly(1L, 3L);
            assertThat(spool.nextSequence()).isEqualTo(4);
        }
    }

    @Test
    void segmentsAreDeletedOnceAllTheirReportsAreAcknowledged() throws Exception {
        try (DiskSpool spool = DiskSpool.open(directory, roomy(), clock, SEGMENT_BYTES)) {
            for (int i = 0; i < 30; i++) {
                spool.append(report());
            }
            int segments = segmentFiles().size();
            assertThat(segments).isGreaterThan(3);
            for (long sequence = 1; sequence <= 29; sequence++) {
                spool.acknowledge(sequence);
            }
            // Only the segment still being written remains, holding report 30.
            assertThat(segmentFiles()).hasSize(1);
            assertThat(spool.segmentCount()).isEqualTo(1);
            assertThat(pendingSequences(spool)).containsExactly(30L);
        }
        try (DiskSpool spool = reopen()) {
            assertThat(pendingSequences(spool)).containsExactly(30L);
        }
    }

    @Test
    void aRebaseSurvivesAReopen() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 12; i++) {
                spool.append(report());
            }
            spool.rebaseAbove(5000);
        }
        try (DiskSpool spool = reopen()) {
            List<Long> pending = pendingSequences(spool);
            assertThat(pending).hasSize(12).first().isEqualTo(5001L);
            assertThat(pending.get(11)).isEqualTo(5012L);
            assertThat(numberOf(spool.next(5012))).isEqualTo(12.0);
            assertThat(spool.append(report())).isEqualTo(5013);
        }
    }

    @Test
    void dropsNotYetReportedAreRememberedAcrossAReopen() throws Exception {
        long dropped;
        try (Spool spool = open(new SpoolBounds(Duration.ofMinutes(5), 100L << 20))) {
            for (int i = 0; i < 6; i++) {
                spool.append(report());
                clock.advance(Duration.ofMinutes(1));
            }
            clock.advance(Duration.ofHours(1));
            // This append was stamped before the old segments went: the count lives only in the spool's state now.
            long stamped = spool.append(report());
            assertThat(decode(spool.next(stamped)).metrics().droppedReports()).isZero();
            dropped = spool.droppedCount();
            assertThat(dropped).isPositive();
        }
        try (DiskSpool spool = reopen()) {
            long next = spool.append(report());
            assertThat(decode(spool.next(next)).metrics().droppedReports()).isEqualTo(dropped);
        }
    }

    @Test
    void theStateFileIsSmallAndReadable() throws Exception {
        try (Spool spool = open(roomy())) {
            spool.append(report());
            spool.acknowledge(1);
        }
        assertThat(Files.readString(directory.resolve(DiskSpool.STATE_FILE), UTF_8))
                .contains("acknowledged=1").contains("unreported-drops=0");
    }
}
