package io.steward.core.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The pauses of this process, as a thread that ticks at a fixed period sees them: a tick that comes much later than
 * the period means the whole process stood still (a SIGSTOP, a stopped VM, a long GC pause). A timer's lateness alone
 * does not show a freeze that ended just after the timer was due; this log does (see {@link OverdueTimers}).
 *
 * <p>Pure bookkeeping: the caller passes the monotonic time ({@link System#nanoTime()}) and the wall time of each
 * tick. Thread-safe, so the ticking thread writes and any thread asks.
 */
public final class PauseLog {
    /** The pauses kept: enough for any timer's run, bounded so a flapping VM cannot grow it. */
    static final int KEPT = 16;

    /** A pause of {@code length} that this log noticed at {@code endedAt} (wall time, when the ticks resumed). */
    public record Pause(Instant endedAt, Duration length) {
        public Pause {
            requireNonNull(endedAt, "endedAt is null");
            requireNonNull(length, "length is null");
        }
    }

    private final long periodNanos;
    private final long minimumNanos;
    private final Deque<Pause> recent = new ArrayDeque<>(KEPT);
    private long lastTickNanos;
    private boolean ticked;

    /**
     * @param period how often the ticking thread ticks
     * @param minimum the shortest lateness kept as a pause (shorter ones are scheduling jitter)
     */
    public PauseLog(Duration period, Duration minimum) {
        requireNonNull(period, "period is null");
        requireNonNull(minimum, "minimum is null");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive");
        }
        if (minimum.isNegative() || minimum.isZero()) {
            throw new IllegalArgumentException("minimum must be positive");
        }
        this.periodNanos = period.toNanos();
        this.minimumNanos = minimum.toNanos();
    }

    /** A tick at monotonic {@code nanos} and wall time {@code wall}; the pause it ended, if it came that late. */
    public synchronized Optional<Pause> tick(long nanos, Instant wall) {
        requireNonNull(wall, "wall is null");
        long late = ticked ? nanos - lastTickNanos - periodNanos : 0;
        lastTickNanos = nanos;
        ticked = true;
        if (late < minimumNanos) {
            return Optional.empty();
        }
        Pause pause = new Pause(wall, Duration.ofNanos(late));
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(pause);
        return Optional.of(pause);
    }

    /**
     * The longest pause noticed after {@code since} (wall time; nothing is armed during a freeze, so such a pause fell
     * within whatever started at {@code since}), or the time the ticks are overdue at {@code nowNanos} if that is
     * longer: right after a freeze a timer may fire before the ticking thread has run again. Zero if there was none.
     */
    public synchronized Duration longestSince(Instant since, long nowNanos) {
        requireNonNull(since, "since is null");
        Duration longest = Duration.ZERO;
        for (Pause pause : recent) {
            if (pause.endedAt().isAfter(since) && pause.length().compareTo(longest) > 0) {
                longest = pause.length();
            }
        }
        long overdue = ticked ? nowNanos - lastTickNanos - periodNanos : 0;
        if (overdue >= minimumNanos && overdue > longest.toNanos()) {
            longest = Duration.ofNanos(overdue);
        }
        return longest;
    }
}
