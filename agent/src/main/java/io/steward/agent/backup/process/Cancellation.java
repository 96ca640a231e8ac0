package io.steward.agent.backup.process;

import io.steward.core.backup.BackupFailure;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops one backup operation from outside: its deadline passed ({@link BackupFailure#TIMED_OUT}) or the agent is
 * stopping ({@link BackupFailure#INTERRUPTED}). The program running at that moment is stopped with its tree; the
 * operation sees {@link #reason()} at its next step and ends with it. The first reason wins.
 */
public final class Cancellation {
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile BackupFailure reason;
    private ChildProcess running;

    /** Cancels for {@code why}; a no-op once cancelled. Blocks while the running program is being stopped. */
    public void cancel(BackupFailure why) {
        ChildProcess toStop;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toStop = running;
        }
        cancelled.countDown();
        if (toStop != null) {
            toStop.stop();
        }
    }

    /** Why the operation was cancelled; null while it may go on. */
    public BackupFailure reason() {
        return reason;
    }

    /** Throws {@link CancelledException} once cancelled. */
    public void check() throws CancelledException {
        BackupFailure why = reason;
        if (why != null) {
            throw new CancelledException(why);
        }
    }

    /** Registers the program now running (null: none); stops it at once if already cancelled. */
    public void running(ChildProcess process) {
        boolean stopNow;
        synchronized (this) {
            running = process;
            stopNow = process != null && reason != null;
        }
        if (stopNow) {
            process.stop();
        }
    }

    /** Waits {@code delay} (a backoff between attempts), returning early if cancelled. */
    public void pause(Duration delay) throws CancelledException, InterruptedException {
        cancelled.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        check();
    }

    /** The operation was cancelled; {@link #reason()} says why. */
    public static final class CancelledException extends Exception {
        private final BackupFailure reason;

        public CancelledException(BackupFailure reason) {
            super(reason.wireName());
            this.reason = reason;
        }

        public BackupFailure reason() {
            return reason;
        }
    }
}
