package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's timers: the shared scheduler only fires them; their tasks run on the link's serial executor, like every
 * other change to the link. A task checks on its own whether the phase it was meant for is still current.
 */
final class Timers {
    private static final Logger log = LoggerFactory.getLogger(Timers.class);

    private final ScheduledExecutorService scheduler;
    private final Executor serial;

    Timers(ScheduledExecutorService scheduler, Executor serial) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.serial = requireNonNull(serial, "serial is null");
    }

    /** Runs {@code task} once after {@code delay}; null when the scheduler is shutting down with the agent. */
    ScheduledFuture<?> after(Duration delay, Runnable task) {
        try {
            return scheduler.schedule(() -> serial.execute(task), Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.debug("Cannot schedule a link task: {}", e.toString());
            return null;
        }
    }

    /** Runs {@code task} every {@code period} until cancelled. */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        return scheduler.scheduleWithFixedDelay(() -> serial.execute(task), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
