package io.steward.agent.backup.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Progress, stats and listings parsed from rsync 3.5.0's real output. */
class RsyncOutputTest {
    private static final List<String> PROGRESS_FIXTURES = List.of("progress2-stats-2-bigfiles-commas.raw",
            "progress2-stats-3-allhardlinked-noh.raw", "progress2-stats-4-noinc-recursive-noh.raw",
            "progress2-stats-5-incremental-commas.raw", "progress2-stats-6-incremental-noh.raw",
            "progress2-stats-9-flow-resume-noh.raw", "progress2-10-killed-noh.raw");

    @Test
    void everyProgressUpdateIsReadAndEveryOtherLineIsNot() {
        int updates = 0;
        for (String fixture : PROGRESS_FIXTURES) {
            TransferStats.Reader stats = new TransferStats.Reader();
            for (String line : Fixtures.lines(fixture)) {
                boolean progress = ProgressLine.parse(line).isPresent();
                boolean figure = stats.accept(line);
                boolean summary = line.startsWith("sent ") || line.startsWith("total size is ");
                assertThat(progress || figure || summary).as(fixture + ": " + line).isTrue();
                assertThat(progress && figure).isFalse();
                updates += progress ? 1 : 0;
            }
        }
        assertThat(updates).isGreaterThan(500);
    }

    @Test
    void progressCarriesBytesRateAndTheFileCounts() {
        List<ProgressLine> big = progress("progress2-stats-2-bigfiles-commas.raw");
        ProgressLine last = big.get(big.size() - 1);
        assertThat(last.bytes()).isEqualTo(319_816_136L);
        assertThat(last.percent()).isEqualTo(99);
        assertThat(last.files()).isEqualTo(new ProgressLine.FileCounts(0, 42, true));
        assertThat(last.files().percent()).isEqualTo(100.0);
        // Lines between files carry an ETA and no counts; the rate is in bytes per second (1024-based units).
        ProgressLine eta = ProgressLine.parse("       14188544   4%   13.50MB/s    0:00:22  ").orElseThrow();
        assertThat(eta.files()).isNull();
        assertThat(eta.bytesPerSecond()).isEqualTo((long) (13.5 * 1024 * 1024));

        // An incremental run: nothing sent, the byte percentage stays at 0 but the file counts move.
        List<ProgressLine> linked = progress("progress2-stats-3-allhardlinked-noh.raw");
        assertThat(linked).allMatch(line -> line.bytes() == 0 && line.percent() == 0);
        assertThat(linked.get(0).files().done()).isEqualTo(7);
        assertThat(linked.get(linked.size() - 1).files().done()).isEqualTo(42);

        // With incremental recursion the total still grows (ir-chk) until the list is complete (to-chk).
        ProgressLine growing = progress("progress2-stats-5-incremental-commas.raw").get(0);
        assertThat(growing.files()).isEqualTo(new ProgressLine.FileCounts(1001, 1502, false));
        assertThat(ProgressLine.parse("Number of files: 42")).isEmpty();
    }

    @Test
    void statsGiveFilesAndBytesOfTheTransfer() {
        assertThat(stats("stats-2-bigfiles-commas.txt"))
                .isEqualTo(new TransferStats(42, 29, 29, 319_816_159L, 319_816_136L, 0));
        assertThat(stats("stats-3-allhardlinked-noh.txt"))
                .isEqualTo(new TransferStats(42, 29, 0, 319_816_159L, 0, 0));
        assertThat(stats("stats-9-flow-resume-noh.txt"))
                .isEqualTo(new TransferStats(42, 29, 2, 319_816_149L, 104_857_610L, 0));
        assertThat(stats("stats-delete-rmattempts-noh.txt").regularFiles()).isZero();
        // A killed rsync prints no stats at all.
        TransferStats.Reader killed = new TransferStats.Reader();
        Fixtures.lines("progress2-10-killed-noh.raw").forEach(killed::accept);
        assertThat(killed.stats()).isEmpty();
    }

    @Test
    void listingsDecodeEscapesAndSplitSymlinksByTheirTargetsLength() {
        List<ListingEntry> entries = Fixtures.lines("list-browse-weird-names.txt").stream()
                .map(ListingEntry::parse).map(Optional::orElseThrow).toList();
        assertThat(entries).extracting(ListingEntry::name).containsExactly(".", " spaces  ", "arrow -> name",
                "back\\slash", "latin1-\uFFFD", "lit\\#351", "new\nline", "plainlink", "sym -> link", "tab\tname",
                "us\u001fsep", "utf8-\u00e9");
        ListingEntry arrow = entries.get(2);
        assertThat(arrow.isFile()).isTrue();
        assertThat(arrow.target()).isNull();
        ListingEntry plain = entries.get(7);
        assertThat(plain.isSymlink()).isTrue();
        assertThat(plain.target()).isEqualTo("../etc/nginx/nginx.conf");
        assertThat(plain.permissions()).isEqualTo("rwxrwxrwx");
        assertThat(entries.get(8).target()).isEqualTo("target -> x");
        assertThat(entries.get(0).isDirectory()).isTrue();
        assertThat(entries.get(0).size()).isEqualTo(4096);
        assertThat(entries.get(1).modifiedAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));

        List<ListingEntry> commas = Fixtures.lines("list-browse-commas.txt").stream()
                .map(ListingEntry::parse).map(Optional::orElseThrow).toList();
        assertThat(commas.get(0).size()).isEqualTo(4096);
        assertThat(ListingEntry.parse("lrwxrwxrwx 5 2026/12/02 07:39:28 broken")).isEmpty();
    }

    @Test
    void theStateListingTellsGoodSnapshotsFromAttempts() {
        DestinationState state = DestinationState.of(Fixtures.lines("list-state.txt").stream()
                .map(ListingEntry::parse).map(Optional::orElseThrow).toList());
        assertThat(state.good()).containsExactly("2026-12-02T110500Z", "2026-12-02T120500Z");
        assertThat(state.unmarked()).isEmpty();
    }

    private static List<ProgressLine> progress(String fixture) {
        return Fixtures.lines(fixture).stream().map(ProgressLine::parse).flatMap(Optional::stream).toList();
    }

    private static TransferStats stats(String fixture) {
        TransferStats.Reader reader = new TransferStats.Reader();
        Fixtures.lines(fixture).forEach(reader::accept);
        return reader.stats().orElseThrow();
    }
}
