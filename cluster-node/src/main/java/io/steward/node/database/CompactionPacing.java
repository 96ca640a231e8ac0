package io.steward.node.database;

/**
 * When the next round of {@link EmbeddedCompaction} is worth its writes (issue 16). A round rewrites live pages and
 * moves chunks: run every interval for a small fleet, it wrote ~5× what the fleet's own commits write (measured, 20
 * servers at 1 s: 1.2 vs 0.23 MB/s), wear an SD card or a small SSD does not need for a file of a few MiB. So a round
 * runs only when it has something to give back: the file grew by {@code growthBytes} since the last round left it, or
 * the last round itself freed that much (a backlog, e.g. a file grown before an upgrade, is worked off round after
 * round). A large fleet's file grows past the threshold within an interval, so its rounds run as often as before.
 *
 * @param growthBytes 0: a round every interval
 */
public record CompactionPacing(long growthBytes) {

    public CompactionPacing {
        if (growthBytes < 0) {
            throw new IllegalArgumentException("the growth before a compaction round must be >= 0 bytes, was "
                    + growthBytes);
        }
    }

    /** The file before and after the last round that ran; {@code before} &lt; 0 when none has run yet. */
    public record LastRound(long before, long after) {
        public static final LastRound NONE = new LastRound(-1, -1);

        long freed() {
            return Math.max(0, before - after);
        }
    }

    /** Whether a round is due for a file of {@code size} bytes now. */
    public boolean due(long size, LastRound last) {
        return last.before() < 0
                || size - last.after() >= growthBytes
                || last.freed() >= growthBytes;
    }
}
