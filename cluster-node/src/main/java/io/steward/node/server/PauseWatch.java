package io.steward.node.server;

import io.steward.core.retry.PauseLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that ticks four times a second and so notices when this whole process stood still (SIGSTOP, a
 * stopped VM, a long GC pause): the offline timers ask it whether the silence they judge went unwatched. Its own
 * thread, not a dispatcher's task, so a busy dispatcher is not mistaken for a freeze.
 */
public final class PauseWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PauseWatch.class);
    static final Duration PERIOD = Duration.ofMillis(250);
    /** Shorter lateness is scheduling on a loaded machine. */
    static final Duration MINIMUM = Duration.ofSeconds(1);

    private final PauseLog pauses = new PauseLog(PERIOD, MINIMUM);
    private final Clock clock;
    /** From this length on a pause holds up the offline timers running across it (their tolerance). */
    private final Duration tolerance;
    private final Thread thread;
    private volatile boolean running = true;

    private PauseWatch(Clock clock, Duration tolerance) {
        this.clock = clock;
        this.tolerance = tolerance;
        pauses.tick(System.nanoTime(), clock.instant());
        thread = new Thread(this::run, "steward-pause-watch");
        thread.setDaemon(true);
    }

    /** @param tolerance the offline timers' ({@code steward.server.overdue-timers.tolerance}), for the log's words */
    public static PauseWatch start(Clock clock, Duration tolerance) {
        PauseWatch watch = new PauseWatch(clock, tolerance);
        watch.thread.start();
        return watch;
    }

    /**
     * The longest time this process stood still since {@code since} (wall time), counting one not yet noticed —
     * unless this watch no longer ticks, when the time since its last tick says nothing.
     */
    public Duration longestSince(Instant since) {
        return thread.isAlive() ? pauses.longestSince(since, System.nanoTime()) : pauses.longestNoticedSince(since);
    }

    /**
     * How long this process stood still between {@code since} (wall time) and now, counting one not yet noticed —
     * unless this watch no longer ticks. See {@link PauseLog#stoodStillWithin}.
     */
    public Duration stoodStillWithin(Instant since) {
        return thread.isAlive() ? pauses.stoodStillWithin(since, clock.instant(), System.nanoTime())
                : pauses.noticedStoodStillWithin(since);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(PERIOD.toMillis());
                pauses.tick(System.nanoTime(), clock.instant()).ifPresent(this::report);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Keep ticking (an OutOfMemoryError may pass): a watch that stopped would count as one long pause.
                log.error("The pause watch failed to tick; it goes on", e);
            }
        }
    }

    private void report(PauseLog.Pause pause) {
        if (pause.length().compareTo(tolerance) > 0) {
            log.warn("This process stood still for {} ms until {} (SIGSTOP, a stopped VM or a long GC pause): offline"
                    + " timers running across it wait until this node sees the cluster settled", pause.length()
                    .toMillis(), pause.endedAt());
        } else {
            log.info("This process stood still for {} ms until {} (within the offline timers' tolerance of {} ms)",
                    pause.length().toMillis(), pause.endedAt(), tolerance.toMillis());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
