package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.agent.link.LinkPhase.Streaming;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * What a streaming connection writes next: live frames first (service states, command results: never spooled),
 * then a due check-results frame (pulled from the checks only now, so their results wait in the checks' own bounded
 * buffer, not here), then the spool's pending reports in sequence order, never {@code window} or more past the
 * oldest unacknowledged one. Live frames are kept across a lost connection, so what was queued goes out after the
 * next welcome. Confined to the link's executor.
 */
final class Outbox {
    /** The next frame to write. */
    sealed interface Outgoing permits Live, Report {
        String frame();
    }

    record Live(String frame) implements Outgoing {}

    record Report(SpooledReport report) implements Outgoing {
        @Override
        public String frame() {
            return report.frame();
        }
    }

    private final Spool spool;
    private final int window;
    private final Supplier<String> checkResults;
    private final ArrayDeque<String> liveFrames = new ArrayDeque<>();

    Outbox(Spool spool, int window) {
        this(spool, window, () -> null);
    }

    /** {@code checkResults} gives the next due check-results frame, or null. */
    Outbox(Spool spool, int window, Supplier<String> checkResults) {
        this.spool = requireNonNull(spool, "spool is null");
        this.window = window;
        this.checkResults = requireNonNull(checkResults, "checkResults is null");
    }

    /** Queues a live frame; a newer service state replaces any older one still queued. */
    void queueLive(String frame, boolean services) {
        if (services) {
            // Only the newest state matters; command results are never dropped.
            liveFrames.removeIf(queued -> queued.startsWith("{\"type\":\"services\""));
        }
        liveFrames.addLast(frame);
    }

    /**
     * The next frame for {@code streaming}, taken from the queue; null when nothing may go now (nothing pending,
     * the window is full, {@code inFlightLimit} reports are in flight ({@link Congestion}), or reports are paused).
     */
    Outgoing next(Streaming streaming, int inFlightLimit) throws IOException {
        String live = liveFrames.pollFirst();
        if (live != null) {
            return new Live(live);
        }
        String results = checkResults.get();
        if (results != null) {
            return new Live(results);
        }
        if (streaming.resend().waiting() || streaming.inFlight().size() >= inFlightLimit) {
            return null;
        }
        long limit = spool.firstPendingSequence() + window;
        SpooledReport next = spool.next(streaming.cursor());
        while (next != null && streaming.inFlight().contains(next.sequence())) {
            next = spool.next(next.sequence() + 1);
        }
        return next == null || next.sequence() >= limit ? null : new Report(next);
    }
}
