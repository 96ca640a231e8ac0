package io.steward.node.database;

import java.time.Duration;

/**
 * When the next round of {@link EmbeddedCompaction} is worth its writes (issue 16). A round rewrites live pages and
 * moves chunks: run every 10 s for a small fleet, the rounds made the node write ~7× what the fleet's own commits
 * write (measured, 20 servers at 1 s: 1,754 vs 257 MiB in 16.5 minutes), wear an SD card or a small SSD does not need
 * for a file of a few MiB. So a round runs only when it has something to give back:
 * <ul>
 *   <li>the file grew by {@code growthBytes} since the last round left it (a large fleet's file does so within an
 *       interval or two, so its rounds run about as often as before);</li>
 *   <li>the last round freed that much (a file of dead rows is worked off round after round);</li>
 *   <li>or the file holds that much free space, at most once per {@link #BACKLOG_SPACING}: H2 writes new chunks into
 *       free space inside the file, so a file left large by a burst, a retention run or a shrinking fleet, with live
 *       chunks at its end, never grows again, and rounds that move those chunks down show no progress in the file's
 *       size until the end is cut off (a review reproduced 20 rounds freeing nothing, then 590 → 135 MiB).</li>
 * </ul>
 *
 * @param growthBytes 0: a round every interval
 */
public record CompactionPacing(long growthBytes) {
    /** The least time between two rounds run only for the file's free space. */
    static final Duration BACKLOG_SPACING = Duration.ofMinutes(1);

    public CompactionPacing {
        if (growthBytes < 0) {
            throw new IllegalArgumentException("the growth before a compaction round must be >= 0 bytes, was "
                    + growthBytes);
        }
    }

    /**
     * The file before and after the last round that ran, and when it ended ({@link System#nanoTime}); {@code before}
     * &lt; 0 when none has run yet.
     */
    public record LastRound(long before, long after, long endedNanos) {
        public static final LastRound NONE = new LastRound(-1, -1, 0);

        long freed() {
            return Math.max(0, before - after);
        }
    }

    /**
     * Whether a round is due now ({@code nowNanos}, {@link System#nanoTime}) for a file of {@code size} bytes of which
     * {@code freeBytes} are free space between its chunks.
     */
    public boolean due(long size, long freeBytes, long nowNanos, LastRound last) {
        return last.before() < 0
                || size - last.after() >= growthBytes
                || last.freed() >= growthBytes
                || freeBytes >= growthBytes && nowNanos - last.endedNanos() >= BACKLOG_SPACING.toNanos();
    }
}
