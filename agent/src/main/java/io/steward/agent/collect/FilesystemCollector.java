package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.FilesystemStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Every mounted local file system with space and inode use. Listed afresh each cycle (one statvfs per mount, a few
 * ms) so mounts and unmounts show up at once. Use% is computed like {@code df}: used / (used + available to users).
 */
final class FilesystemCollector implements Collector<List<FilesystemStats>> {
    private final FileSystem fileSystem;

    FilesystemCollector(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public List<FilesystemStats> collect() {
        List<OSFileStore> stores = fileSystem.getFileStores(true);
        List<FilesystemStats> result = new ArrayList<>(stores.size());
        Set<String> mounts = new HashSet<>();
        for (OSFileStore store : stores) {
            long total = store.getTotalSpace();
            if (total <= 0 || !mounts.add(store.getMount())) {
                continue; // pseudo file systems report no size; bind mounts repeat a mount point
            }
            result.add(stats(store.getMount(), store.getVolume(), store.getType(), total, store.getFreeSpace(),
                    store.getUsableSpace(), store.getTotalInodes(), store.getFreeInodes()));
        }
        return result;
    }

    /** The wire values for one file system; pure, for tests. */
    static FilesystemStats stats(String mount, String device, String type, long total, long free, long usable,
            long inodesTotal, long inodesFree) {
        long used = Math.max(0, total - Math.max(0, free));
        long available = Math.max(0, usable);
        long inodesUsed = inodesTotal > 0 ? Math.max(0, inodesTotal - Math.max(0, inodesFree)) : 0;
        return new FilesystemStats(mount, device, type, total, used, Math.max(0, free),
                Percent.round2(Percent.of(used, used + available)),
                Math.max(0, inodesTotal), inodesUsed, Percent.round2(Percent.of(inodesUsed, inodesTotal)));
    }
}
