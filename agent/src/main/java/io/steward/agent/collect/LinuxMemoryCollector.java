package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.MemoryStats;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Physical memory and swap from /proc/meminfo, as {@link MemoryCollector} reports them (OSHI reads the same file):
 * "used" is total minus the kernel's MemAvailable estimate, swap used is SwapTotal minus SwapFree.
 */
final class LinuxMemoryCollector implements Collector<MemoryStats> {
    private final ProcFiles files = new ProcFiles(4096);
    private final long[] fields = new long[MemInfo.values().length];
    private volatile long totalBytes;

    @Override
    public MemoryStats collect() {
        try {
            parse(files.read("/proc/meminfo"), fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MemoryStats stats = stats(fields);
        totalBytes = stats.totalBytes();
        return stats;
    }

    /** MemTotal of the latest cycle in bytes (the process collector's denominator); 0 before the first. */
    long totalBytes() {
        return totalBytes;
    }

    /** The /proc/meminfo lines we use, in bytes once parsed. */
    enum MemInfo {
        MEM_TOTAL("MemTotal:"), MEM_FREE("MemFree:"), MEM_AVAILABLE("MemAvailable:"), ACTIVE_FILE("Active(file):"),
        INACTIVE_FILE("Inactive(file):"), S_RECLAIMABLE("SReclaimable:"), SWAP_TOTAL("SwapTotal:"),
        SWAP_FREE("SwapFree:");

        private final String key;

        MemInfo(String key) {
            this.key = key;
        }
    }

    private static final MemInfo[] KEYS = MemInfo.values();

    /** Fills {@code into} (indexed by {@link MemInfo}) in bytes; a missing line reads as -1. Values are in kB. */
    static void parse(ProcText text, long[] into) {
        java.util.Arrays.fill(into, -1);
        while (!text.atEnd()) {
            for (MemInfo key : KEYS) {
                if (text.startsWith(key.key)) {
                    text.skip(key.key.length());
                    long kibibytes = text.nextLong();
                    into[key.ordinal()] = kibibytes < 0 ? -1 : kibibytes * 1024;
                    break;
                }
            }
            text.nextLine();
        }
    }

    /** The wire values from parsed fields; MemAvailable estimated as OSHI does on kernels before 3.14. */
    static MemoryStats stats(long[] fields) {
        long total = Math.max(0, fields[MemInfo.MEM_TOTAL.ordinal()]);
        long available = fields[MemInfo.MEM_AVAILABLE.ordinal()];
        if (available < 0) {
            available = Math.max(0, fields[MemInfo.MEM_FREE.ordinal()]) + Math.max(0, fields[MemInfo.ACTIVE_FILE.ordinal()])
                    + Math.max(0, fields[MemInfo.INACTIVE_FILE.ordinal()])
                    + Math.max(0, fields[MemInfo.S_RECLAIMABLE.ordinal()]);
        }
        long used = Math.max(0, total - available);
        long swapTotal = Math.max(0, fields[MemInfo.SWAP_TOTAL.ordinal()]);
        long swapUsed = Math.max(0, swapTotal - Math.max(0, fields[MemInfo.SWAP_FREE.ordinal()]));
        return new MemoryStats(total, used, available, Percent.round2(Percent.of(used, total)), swapTotal, swapUsed,
                Percent.round2(Percent.of(swapUsed, swapTotal)));
    }
}
