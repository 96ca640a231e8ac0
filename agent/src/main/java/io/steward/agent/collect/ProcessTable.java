package io.steward.agent.collect;

import java.util.Arrays;

/**
 * One cycle's processes as parallel primitive arrays, sorted by pid so the next cycle finds a process's previous
 * reading by binary search. Two tables are kept and swapped each cycle: after the first cycles a collection allocates
 * nothing here (the arrays only grow when more processes run than ever before).
 */
final class ProcessTable {
    private int size;
    private int[] pids;
    private long[] startTicks;
    private long[] cpuTicks;
    private long[] rssBytes;
    private double[] cpuPercent;
    /** When the table was read (epoch milliseconds). */
    long readAt;

    ProcessTable(int capacity) {
        pids = new int[capacity];
        startTicks = new long[capacity];
        cpuTicks = new long[capacity];
        rssBytes = new long[capacity];
        cpuPercent = new double[capacity];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    void add(int pid, long start, long cpu, long rss, double percent) {
        if (size == pids.length) {
            int capacity = size * 2;
            pids = Arrays.copyOf(pids, capacity);
            startTicks = Arrays.copyOf(startTicks, capacity);
            cpuTicks = Arrays.copyOf(cpuTicks, capacity);
            rssBytes = Arrays.copyOf(rssBytes, capacity);
            cpuPercent = Arrays.copyOf(cpuPercent, capacity);
        }
        pids[size] = pid;
        startTicks[size] = start;
        cpuTicks[size] = cpu;
        rssBytes[size] = Math.max(0, rss);
        cpuPercent[size] = percent;
        size++;
    }

    /** /proc lists pids in ascending order already; anything else is put in order (insertion sort: nearly sorted). */
    void sortByPid() {
        for (int i = 1; i < size; i++) {
            if (pids[i - 1] > pids[i]) {
                insertionSort();
                return;
            }
        }
    }

    private void insertionSort() {
        for (int i = 1; i < size; i++) {
            for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
                swap(j - 1, j);
            }
        }
    }

    private void swap(int a, int b) {
        int pid = pids[a];
        pids[a] = pids[b];
        pids[b] = pid;
        long start = startTicks[a];
        startTicks[a] = startTicks[b];
        startTicks[b] = start;
        long cpu = cpuTicks[a];
        cpuTicks[a] = cpuTicks[b];
        cpuTicks[b] = cpu;
        long rss = rssBytes[a];
        rssBytes[a] = rssBytes[b];
        rssBytes[b] = rss;
        double percent = cpuPercent[a];
        cpuPercent[a] = cpuPercent[b];
        cpuPercent[b] = percent;
    }

    /** The row of {@code pid}, or -1. */
    int find(int pid) {
        int found = Arrays.binarySearch(pids, 0, size, pid);
        return found >= 0 ? found : -1;
    }

    int pid(int row) {
        return pids[row];
    }

    long startTicks(int row) {
        return startTicks[row];
    }

    long cpuTicks(int row) {
        return cpuTicks[row];
    }

    long rssBytes(int row) {
        return rssBytes[row];
    }

    double cpuPercent(int row) {
        return cpuPercent[row];
    }

    /**
     * Writes the rows of the {@code limit} greatest processes into {@code rows}, greatest first, and returns how many
     * there are: by CPU (then memory), or by memory (then CPU), as {@link ProcessCollector} ranks them. A bounded
     * insertion: top-N of a few hundred processes costs a few thousand comparisons and no allocation.
     */
    int top(int limit, boolean byCpu, int[] rows) {
        if (limit <= 0) {
            return 0;
        }
        int count = 0;
        for (int row = 0; row < size; row++) {
            if (count == limit && !greater(row, rows[count - 1], byCpu)) {
                continue;
            }
            int at = count < limit ? count++ : count - 1;
            while (at > 0 && greater(row, rows[at - 1], byCpu)) {
                rows[at] = rows[at - 1];
                at--;
            }
            rows[at] = row;
        }
        return count;
    }

    private boolean greater(int a, int b, boolean byCpu) {
        int primary = byCpu ? Double.compare(cpuPercent[a], cpuPercent[b]) : Long.compare(rssBytes[a], rssBytes[b]);
        if (primary != 0) {
            return primary > 0;
        }
        return byCpu ? rssBytes[a] > rssBytes[b] : cpuPercent[a] > cpuPercent[b];
    }
}
