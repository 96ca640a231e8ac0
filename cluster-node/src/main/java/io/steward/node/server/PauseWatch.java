package io.steward.node.server;

import io.steward.core.retry.PauseLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
    /** Shorter lateness is scheduling on a loaded machine; the offline timers tolerate 3 s by default. */
    static final Duration MINIMUM = Duration.ofSeconds(1);
    /** From this length on a pause is logged as a warning: it is what an operator asks about after false alerts. */
    private static final Duration WARN_FROM = Duration.ofSeconds(3);

    private final PauseLog pauses = new PauseLog(PERIOD, MINIMUM);
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    private PauseWatch(Clock clock) {
        this.clock = clock;
        pauses.tick(System.nanoTime(), clock.instant());
        thread = new Thread(this::run, "steward-pause-watch");
        thread.setDaemon(true);
    }

    public static PauseWatch start(Clock clock) {
        PauseWatch watch = new PauseWatch(clock);
        watch.thread.start();
        return watch;
    }

    /** The longest time this process stood still since {@code since} (wall time), counting one not yet noticed. */
    public Duration longestSince(Instant since) {
        return pauses.longestSince(since, System.nanoTime());
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Optional<PauseLog.Pause> pause = pauses.tick(System.nanoTime(), clock.instant());
            pause.ifPresent(PauseWatch::report);
        }
    }

    private static void report(PauseLog.Pause pause) {
        String message = "this process stood still for {} ms until {} (SIGSTOP, a stopped VM or a long GC pause);"
                + " offline timers running across it wait until the cluster view is settled";
        if (pause.length().compareTo(WARN_FROM) >= 0) {
            log.warn(message, pause.length().toMillis(), pause.endedAt());
        } else {
            log.info(message, pause.length().toMillis(), pause.endedAt());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
