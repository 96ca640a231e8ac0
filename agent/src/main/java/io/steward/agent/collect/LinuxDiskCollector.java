package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.DiskStats;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Read/write throughput and operations per second of each whole disk, as {@link DiskCollector} reports them: the
 * disks are /sys/block's entries (listed again every few minutes, with their sizes), the counters come from one read
 * of /proc/diskstats per cycle instead of OSHI's udev enumeration through JNA.
 */
final class LinuxDiskCollector implements Collector<List<DiskStats>> {
    private static final long RELIST_NANOS = Duration.ofMinutes(5).toNanos();
    private static final long SECTOR_BYTES = 512;
    /** read bytes, write bytes, reads, writes. */
    static final int COUNTERS = 4;

    private final ProcFiles files = new ProcFiles(4096);
    private final RateTracker rates = new RateTracker();
    private String[] disks = new String[0];
    private long[][] counters = new long[0][COUNTERS];
    private long listedAt;

    LinuxDiskCollector() {
        list();
    }

    /** The physical disks of /sys/block (partitions live below their disk there, so they are not listed). */
    private void list() {
        String[] names = new File("/sys/block").list();
        List<String> physical = new ArrayList<>();
        for (String name : names == null ? new String[0] : names) {
            if (DiskCollector.isPhysical(name, sizeBytes(name))) {
                physical.add(name);
            }
        }
        physical.sort(null);
        disks = physical.toArray(String[]::new);
        counters = new long[disks.length][COUNTERS];
        listedAt = System.nanoTime();
    }

    private long sizeBytes(String name) {
        try {
            return Math.max(0, files.read("/sys/block/" + name + "/size").nextLong()) * SECTOR_BYTES;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public List<DiskStats> collect() {
        if (System.nanoTime() - listedAt > RELIST_NANOS) {
            list();
        }
        long now = System.currentTimeMillis();
        try {
            parseDiskStats(files.read("/proc/diskstats"), disks, counters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DiskStats> result = new ArrayList<>(disks.length);
        for (int i = 0; i < disks.length; i++) {
            long[] count = counters[i];
            double[] perSecond = rates.rates(disks[i], now, count[0], count[1], count[2], count[3]);
            result.add(new DiskStats(disks[i], Percent.round2(perSecond[0]), Percent.round2(perSecond[1]),
                    Percent.round2(perSecond[2]), Percent.round2(perSecond[3])));
        }
        rates.endCycle();
        return result;
    }

    /**
     * Parses /proc/diskstats ("254 0 vda reads merged sectorsRead msReading writes merged sectorsWritten ...") into
     * the rows of {@code counters} whose {@code names} match (read bytes, write bytes, reads, writes; sectors are
     * 512 bytes whatever the device's block size). Disks not in the text keep their previous counters.
     */
    static void parseDiskStats(ProcText text, String[] names, long[][] counters) {
        while (!text.atEnd()) {
            text.nextLong(); // major
            text.nextLong(); // minor
            int start = text.skipWord();
            int length = text.position() - start;
            int row = -1;
            for (int i = 0; i < names.length; i++) {
                if (text.regionEquals(start, length, names[i])) {
                    row = i;
                    break;
                }
            }
            if (row >= 0) {
                long reads = text.nextLong();
                text.nextLong(); // reads merged
                long sectorsRead = text.nextLong();
                text.nextLong(); // ms reading
                long writes = text.nextLong();
                text.nextLong(); // writes merged
                long sectorsWritten = text.nextLong();
                long[] into = counters[row];
                into[0] = sectorsRead * SECTOR_BYTES;
                into[1] = sectorsWritten * SECTOR_BYTES;
                into[2] = reads;
                into[3] = writes;
            }
            text.nextLine();
        }
    }

    /** The disks listed now; for tests. */
    List<String> disks() {
        return Arrays.asList(disks.clone());
    }
}
