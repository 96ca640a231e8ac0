package io.steward.agent.link;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reports written to one connection and not answered yet, each with the time it was written ({@code nanoTime}).
 * Belongs to that connection: a new connection starts with none, and the spool decides what is sent again.
 */
final class InFlight {
    private final TreeMap<Long, Long> sentAtNanos = new TreeMap<>();

    void sent(long sequence, long nanos) {
        sentAtNanos.put(sequence, nanos);
    }

    /** The node answered {@code sequence} (ack or error): it leaves; returns when it was written, if it was here. */
    OptionalLong answered(long sequence) {
        Long sentAt = sentAtNanos.remove(sequence);
        return sentAt == null ? OptionalLong.empty() : OptionalLong.of(sentAt);
    }

    boolean contains(long sequence) {
        return sentAtNanos.containsKey(sequence);
    }

    boolean isEmpty() {
        return sentAtNanos.isEmpty();
    }

    int size() {
        return sentAtNanos.size();
    }

    /** The lowest sequence in flight; only when not empty. */
    long lowest() {
        return sentAtNanos.firstKey();
    }

    /**
     * Whether the report written longest ago has waited more than {@code timeout} at {@code nowNanos}. That is not
     * always the lowest sequence: after a pause, a lower sequence may be written again after higher ones.
     */
    boolean overdue(long nowNanos, Duration timeout) {
        if (sentAtNanos.isEmpty()) {
            return false;
        }
        long oldest = sentAtNanos.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        return nowNanos - oldest > timeout.toNanos();
    }
}
