package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent window the live charts draw first, kept as columns of numbers in a ring: one {@code long} for the time
 * and one {@code double} per series for each point. A point object per report (a record and its {@link Instant},
 * about 100 bytes) would cost every entity some 13 KB at 120 points; the columns take 68 bytes a point, allocated
 * once. {@link WindowPoint}s are made only when someone asks for the window (the detail page), which is rare beside
 * a report a second.
 *
 * <p>Not thread-safe: owned by its entity.
 */
final class RecentWindow {
    /** Series kept per point, in {@link WindowPoint}'s order after the time. */
    private static final int SERIES = 7;

    private final int capacity;
    /** The time as an Instant holds it (seconds and nanoseconds): exactly what the report said, for any date. */
    private final long[] atSeconds;
    private final int[] atNanos;
    /** {@code values[index * SERIES + series]}: one allocation for all series. */
    private final double[] values;
    /** Index of the oldest point. */
    private int start;
    private int size;

    RecentWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.atSeconds = new long[capacity];
        this.atNanos = new int[capacity];
        this.values = new double[capacity * SERIES];
    }

    /**
     * Adds the report's point as the newest, dropping the oldest when full. A report older than the newest point is
     * left out: the window shows the present, and history queries cover replayed past reports.
     */
    void add(MetricsReport report) {
        Instant at = report.collectedAt();
        if (size > 0 && at.isBefore(instantAt(indexOf(size - 1)))) {
            return;
        }
        double rx = 0;
        double tx = 0;
        for (MetricsReport.NetworkStats nic : report.interfaces()) {
            if (!"lo".equals(nic.name())) {
                rx += nic.rxBytesPerSecond();
                tx += nic.txBytesPerSecond();
            }
        }
        int index;
        if (size < capacity) {
            index = indexOf(size);
            size++;
        } else {
            index = start;
            start = (start + 1) % capacity;
        }
        atSeconds[index] = at.getEpochSecond();
        atNanos[index] = at.getNano();
        int base = index * SERIES;
        values[base] = report.cpu().percent();
        values[base + 1] = report.memory().percent();
        values[base + 2] = report.memory().swapPercent();
        values[base + 3] = report.cpu().load1();
        values[base + 4] = report.fullestFilesystemPercent();
        values[base + 5] = rx;
        values[base + 6] = tx;
    }

    /** The points, oldest first, as the detail answer carries them. */
    List<WindowPoint> points() {
        List<WindowPoint> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int index = indexOf(i);
            int base = index * SERIES;
            points.add(new WindowPoint(instantAt(index), values[base], values[base + 1], values[base + 2],
                    values[base + 3], values[base + 4], values[base + 5], values[base + 6]));
        }
        return points;
    }

    int size() {
        return size;
    }

    void clear() {
        start = 0;
        size = 0;
    }

    private int indexOf(int position) {
        return (start + position) % capacity;
    }

    private Instant instantAt(int index) {
        return Instant.ofEpochSecond(atSeconds[index], atNanos[index]);
    }
}
