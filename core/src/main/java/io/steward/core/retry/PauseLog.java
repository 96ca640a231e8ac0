package io.steward.core.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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
    /**
     * How long a pause is kept: longer than any span asked about (a timer's run; a check result's age, up to its
     * staleness limit of 3 intervals of at most an hour, plus its timeout).
     */
    static final Duration HORIZON = Duration.ofHours(4);
    /**
     * A bound for a flapping VM. Kept pauses are each longer than every later one, so reaching it takes thousands of
     * pauses of strictly falling length within the horizon; when full, the oldest (the longest) goes first.
     */
    static final int MAX_KEPT = 4_096;

    /** A pause of {@code length} that this log noticed at {@code endedAt} (wall time, when the ticks resumed). */
    public record Pause(Instant endedAt, Duration length) {
        public Pause {
            requireNonNull(endedAt, "endedAt is null");
            requireNonNull(length, "length is null");
        }

        /** When it began, as far as the ticks tell (the last tick before it, plus one period). */
        Instant began() {
            return endedAt.minus(length);
        }
    }

    private final long periodNanos;
    private final long minimumNanos;
    /** Oldest first, each longer than every later one: a pause no longer than a later one answers no question. */
    private final Deque<Pause> kept = new ArrayDeque<>();
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
        Instant horizon = wall.minus(HORIZON);
        while (!kept.isEmpty() && kept.peekFirst().endedAt().isBefore(horizon)) {
            kept.removeFirst();
        }
        if (late < minimumNanos) {
            return Optional.empty();
        }
        Pause pause = new Pause(wall, Duration.ofNanos(late));
        while (!kept.isEmpty() && kept.peekLast().length().compareTo(pause.length()) <= 0) {
            kept.removeLast(); // any question about an earlier, shorter pause also covers this one
        }
        if (kept.size() == MAX_KEPT) {
            kept.removeFirst();
        }
        kept.addLast(pause);
        return Optional.of(pause);
    }

    /**
     * The longest pause that began after {@code since} (wall time), or the time the ticks are overdue at
     * {@code nowNanos} if that is longer: right after a freeze a timer may fire before the ticking thread has run
     * again. Zero if there was none. A pause that began up to the minimum before {@code since} counts too: the ticks
     * place its start no closer (a ticking thread may be late by up to that much unnoticed before a freeze).
     */
    public synchronized Duration longestSince(Instant since, long nowNanos) {
        Duration longest = longestNoticedSince(since);
        long overdue = overdueNanos(nowNanos);
        if (overdue >= minimumNanos && overdue > longest.toNanos()) {
            longest = Duration.ofNanos(overdue);
        }
        return longest;
    }

    /**
     * How long this process stood still within the span from {@code since} to {@code now}: the largest part of one
     * pause inside it (one that began before {@code since} counts from there), or of the time the ticks are overdue at
     * {@code nowNanos}. Where {@link #longestSince} asks whether a pause began while something ran, this asks how much
     * of a span went by unwatched: the age of a result in this process's running time is its age less this.
     */
    public synchronized Duration stoodStillWithin(Instant since, Instant now, long nowNanos) {
        requireNonNull(now, "now is null");
        Duration most = noticedStoodStillWithin(since);
        long overdue = overdueNanos(nowNanos);
        if (overdue >= minimumNanos) {
            Duration span = Duration.between(since, now);
            Duration current = Duration.ofNanos(overdue);
            Duration inside = current.compareTo(span) < 0 ? current : span;
            if (inside.compareTo(most) > 0) {
                most = inside;
            }
        }
        return most;
    }

    /** As {@link #stoodStillWithin}, counting only the pauses a tick has ended (for when nothing ticks any more). */
    public synchronized Duration noticedStoodStillWithin(Instant since) {
        requireNonNull(since, "since is null");
        // A pause dropped from the log was no longer than a later one, which also ended later: its part of any span
        // is no larger than that later one's.
        Duration most = Duration.ZERO;
        for (Pause pause : kept) {
            if (!pause.endedAt().isAfter(since)) {
                continue;
            }
            Duration sinceToEnd = Duration.between(since, pause.endedAt());
            Duration inside = pause.length().compareTo(sinceToEnd) < 0 ? pause.length() : sinceToEnd;
            if (inside.compareTo(most) > 0) {
                most = inside;
            }
        }
        return most;
    }

    /** How late the next tick is at {@code nowNanos}: a pause under way, not noticed yet, if at least the minimum. */
    private long overdueNanos(long nowNanos) {
        return ticked ? nowNanos - lastTickNanos - periodNanos : 0;
    }

    /** As {@link #longestSince}, counting only the pauses a tick has ended (for when nothing ticks any more). */
    public synchronized Duration longestNoticedSince(Instant since) {
        requireNonNull(since, "since is null");
        Instant from = since.minusNanos(minimumNanos);
        // Oldest first and each longer than the later ones: the first that began after the start is the longest.
        for (Iterator<Pause> it = kept.iterator(); it.hasNext(); ) {
            Pause pause = it.next();
            if (pause.began().isAfter(from)) {
                return pause.length();
            }
        }
        return Duration.ZERO;
    }
}
