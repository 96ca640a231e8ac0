package io.steward.agent.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckResult;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Check results on their way to the node, as {@code check-results} frames. Live data like service states: never
 * spooled or acknowledged (a vantage whose results stop arriving abstains), so results produced while the link is
 * not connected are dropped and counted, not kept for later.
 *
 * <p>A frame is due once {@link #FRAME_RESULTS} results wait, or {@link #DELAY} after the first of them arrived, or
 * at once after an assignment that refused a check (or stopped refusing one). The link pulls due frames when it can
 * write ({@link #nextFrame}), so this buffer is the only place results wait: it holds at most {@link #CAPACITY}
 * (a link too slow to keep up loses the oldest, counted). Every frame carries the refused ids of the latest
 * assignment — the state the node reads them as, not an event sent once — and this agent's reference state.
 *
 * <p>Thread-safe: results arrive on probe threads, frames are pulled on the link's executor.
 */
public final class ResultBatcher {
    static final int FRAME_RESULTS = 100;
    static final Duration DELAY = Duration.ofSeconds(1);
    static final int CAPACITY = 2_000;
    /**
     * Below the node's default frame limit (1 MiB) with room for the longest refused list (10,000 ids of 64
     * characters, ~670 KB): a frame over it carries fewer results. Normal frames are some tens of KB.
     */
    static final int MAX_FRAME_BYTES = 768 * 1024;

    private final BooleanSupplier connected;
    private final Supplier<Boolean> referenceReachable;
    private final Runnable due;
    private final ScheduledExecutorService scheduler;
    private final ArrayDeque<CheckResult> buffer = new ArrayDeque<>();
    private List<String> refused = List.of();
    private boolean refusalPending;
    /** A frame may be taken now. */
    private boolean ready;
    private ScheduledFuture<?> timer;
    private long framesSent;
    private long resultsSent;
    private long droppedDisconnected;
    private long droppedOverflow;

    /** What went where so far. */
    public record Counts(long framesSent, long resultsSent, long droppedWhileDisconnected, long droppedOverflow) {}

    /**
     * @param connected whether the link is connected now (results are dropped otherwise)
     * @param referenceReachable this agent's reference state (null without a reference)
     * @param due tells the link a frame is due; it then calls {@link #nextFrame} when it can write
     * @param scheduler fires the {@link #DELAY} timer (its task only marks the frame due)
     */
    public ResultBatcher(BooleanSupplier connected, Supplier<Boolean> referenceReachable, Runnable due,
            ScheduledExecutorService scheduler) {
        this.connected = requireNonNull(connected, "connected is null");
        this.referenceReachable = requireNonNull(referenceReachable, "referenceReachable is null");
        this.due = requireNonNull(due, "due is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    /** One more result; dropped (and counted) while the link is not connected. */
    public void add(CheckResult result) {
        requireNonNull(result, "result is null");
        boolean becameReady = false;
        synchronized (this) {
            if (!connected.getAsBoolean()) {
                // Whatever still waits from before the connection went is dropped with it: no stale batch later.
                droppedDisconnected += 1 + buffer.size();
                buffer.clear();
                cancelTimer();
                ready = refusalPending;
                return;
            }
            if (buffer.size() == CAPACITY) {
                buffer.pollFirst();
                droppedOverflow++;
            }
            buffer.addLast(result);
            if (!ready && buffer.size() >= FRAME_RESULTS) {
                cancelTimer();
                ready = true;
                becameReady = true;
            } else if (!ready && timer == null) {
                timer = schedule();
            }
        }
        if (becameReady) {
            due.run();
        }
    }

    /**
     * The checks of the latest assignment that were refused. A frame goes out at once when any were, or when
     * the list changed (so the node also hears that nothing is refused any more).
     */
    public void refused(List<String> ids) {
        List<String> latest = List.copyOf(ids);
        boolean becameReady = false;
        synchronized (this) {
            boolean changed = !latest.equals(refused);
            refused = latest;
            if (!latest.isEmpty() || changed) {
                refusalPending = true;
                becameReady = !ready;
                ready = true;
            }
        }
        if (becameReady) {
            due.run();
        }
    }

    /** The next due frame, encoded, taking its results out of the buffer; null when none is due. */
    public synchronized String nextFrame() {
        if (!ready) {
            return null;
        }
        if (buffer.isEmpty() && !refusalPending) {
            ready = false;
            return null;
        }
        Boolean reachable = referenceReachable.get();
        int count = Math.min(FRAME_RESULTS, buffer.size());
        String frame = encode(count, reachable);
        while (count > 1 && tooLarge(frame)) {
            count /= 2;
            frame = encode(count, reachable);
        }
        for (int i = 0; i < count; i++) {
            buffer.pollFirst();
        }
        refusalPending = false;
        framesSent++;
        resultsSent += count;
        if (buffer.isEmpty()) {
            // What is left after a full frame goes on the next pull; an empty buffer waits for the next result.
            ready = false;
            cancelTimer();
        }
        return frame;
    }

    public synchronized Counts counts() {
        return new Counts(framesSent, resultsSent, droppedDisconnected, droppedOverflow);
    }

    private String encode(int count, Boolean reachable) {
        List<CheckResult> batch = new ArrayList<>(count);
        Iterator<CheckResult> oldestFirst = buffer.iterator();
        for (int i = 0; i < count; i++) {
            batch.add(oldestFirst.next());
        }
        return WireFormat.encode(new AgentMessage.CheckResults(batch, reachable, refused));
    }

    private static boolean tooLarge(String frame) {
        // A char is at most 3 bytes of UTF-8: count the bytes only when it could matter.
        return frame.length() > MAX_FRAME_BYTES / 3
                && frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES;
    }

    private ScheduledFuture<?> schedule() {
        try {
            return scheduler.schedule(this::delayOver, DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the agent is stopping
        }
    }

    private void delayOver() {
        synchronized (this) {
            timer = null;
            if (ready || buffer.isEmpty()) {
                return;
            }
            ready = true;
        }
        due.run();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
