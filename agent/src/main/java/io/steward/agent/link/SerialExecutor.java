package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: each link's state is touched by one task at
 * a time without a thread of its own, so thousands of simulated links share a few threads.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run per turn before yielding the thread to other links. */
    private static final int BATCH = 64;

    private final Executor delegate;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean scheduled;

    SerialExecutor(Executor delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task is null");
        synchronized (this) {
            queue.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        submit();
    }

    private void submit() {
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            // The shared executor is shutting down: nothing more will run.
            synchronized (this) {
                queue.clear();
                scheduled = false;
            }
            log.debug("Dropping tasks: executor rejected them ({})", e.toString());
        }
    }

    private void drain() {
        for (int done = 0; done < BATCH; done++) {
            Runnable task;
            synchronized (this) {
                task = queue.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Unexpected failure in a link task", e);
            }
        }
        submit();
    }
}
