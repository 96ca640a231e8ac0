package io.steward.agent.link;

import java.util.Arrays;

/**
 * Times from writing a report to the socket to receiving its ack (= durably stored by the node), collected per
 * window for the simulator's progress line and the ingest benchmark. Bounded: past {@code capacity} samples a window
 * keeps every other one, so memory stays fixed under any load while quantiles stay representative.
 */
public final class AckLatencies {
    /** Quantiles of one window, in milliseconds; {@code count} is the number of acks seen. */
    public record Window(long count, double p50Millis, double p99Millis, double maxMillis) {}

    private final long[] samples;
    private int size;
    private int stride = 1;
    private long seen;

    public AckLatencies(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2");
        }
        this.samples = new long[capacity];
    }

    public synchronized void record(long nanos) {
        seen++;
        if (seen % stride != 0) {
            return;
        }
        if (size == samples.length) {
            // Halve: keep every other sample, and from now on record every other one more.
            for (int i = 0; i < size / 2; i++) {
                samples[i] = samples[2 * i + 1];
            }
            size /= 2;
            stride *= 2;
        }
        samples[size++] = nanos;
    }

    /** The quantiles since the last drain, and starts a new window. */
    public synchronized Window drain() {
        Window window;
        if (size == 0) {
            window = new Window(seen, Double.NaN, Double.NaN, Double.NaN);
        } else {
            long[] sorted = Arrays.copyOf(samples, size);
            Arrays.sort(sorted);
            window = new Window(seen, millis(sorted, 0.50), millis(sorted, 0.99), sorted[size - 1] / 1e6);
        }
        size = 0;
        stride = 1;
        seen = 0;
        return window;
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
