package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.DiskStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Read/write throughput and operations per second of each physical disk, from counter deltas. The OSHI disk list is
 * kept and refreshed in place each cycle, and listed again every few minutes to notice added disks.
 */
final class DiskCollector implements Collector<List<DiskStats>> {
    private static final long RELIST_NANOS = Duration.ofMinutes(5).toNanos();

    private final HardwareAbstractionLayer hardware;
    private final RateTracker rates = new RateTracker();
    private List<HWDiskStore> disks;
    private long listedAt;

    DiskCollector(HardwareAbstractionLayer hardware) {
        this.hardware = hardware;
        this.disks = hardware.getDiskStores();
        this.listedAt = System.nanoTime();
    }

    @Override
    public List<DiskStats> collect() {
        if (System.nanoTime() - listedAt > RELIST_NANOS) {
            disks = hardware.getDiskStores(); // fresh objects carry fresh counters
            listedAt = System.nanoTime();
        } else {
            for (HWDiskStore disk : disks) {
                disk.updateAttributes();
            }
        }
        List<DiskStats> result = new ArrayList<>(disks.size());
        for (HWDiskStore disk : disks) {
            String name = shortName(disk.getName());
            if (!isPhysical(name, disk.getSize())) {
                continue;
            }
            double[] perSecond = rates.rates(name, disk.getTimeStamp(), disk.getReadBytes(), disk.getWriteBytes(),
                    disk.getReads(), disk.getWrites());
            result.add(new DiskStats(name, Percent.round2(perSecond[0]), Percent.round2(perSecond[1]),
                    Percent.round2(perSecond[2]), Percent.round2(perSecond[3])));
        }
        rates.endCycle();
        return result;
    }

    /** {@code /dev/sda} → {@code sda}: the name people know from iostat. */
    static String shortName(String name) {
        return name.startsWith("/dev/") ? name.substring("/dev/".length()) : name;
    }

    /** Loop and RAM devices (snaps, initrd) and devices without media are noise on a dashboard. */
    static boolean isPhysical(String shortName, long size) {
        return size > 0 && !shortName.startsWith("loop") && !shortName.startsWith("ram");
    }
}
