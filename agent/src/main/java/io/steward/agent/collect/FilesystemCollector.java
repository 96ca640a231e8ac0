package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.FilesystemStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Every mounted local file system with space and inode use. Listed afresh each cycle (one statvfs per mount, a few
 * ms) so mounts and unmounts show up at once. Use% is computed like {@code df}: used / (used + available to users).
 */
final class FilesystemCollector implements Collector<List<FilesystemStats>> {
    private static final Set<String> IGNORED_TYPES = Set.of("overlay", "squashfs", "erofs", "nsfs", "autofs",
            "iso9660", "fuse.lxcfs", "fuse.snapfuse");
    /** Kernel interfaces: the mount point itself and everything below it. */
    private static final List<String> IGNORED_TREES = List.of("/dev", "/proc", "/sys");
    /** Runtimes' private mounts below these (a dedicated /var/lib/docker partition itself is reported). */
    private static final List<String> IGNORED_BELOW = List.of("/run/credentials", "/var/lib/docker",
            "/var/lib/containers/storage", "/var/lib/kubelet/pods");
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
            if (total <= 0 || !isReported(store.getMount(), store.getType()) || !mounts.add(store.getMount())) {
                continue; // pseudo file systems report no size; bind mounts repeat a mount point
            }
            result.add(stats(store.getMount(), store.getVolume(), store.getType(), total, store.getFreeSpace(),
                    store.getUsableSpace(), store.getTotalInodes(), store.getFreeInodes()));
        }
        return result;
    }

    /**
     * Whether a mount is a file system people manage, as node_exporter decides by default: container layers
     * (overlay, one per container), read-only images (squashfs snaps, erofs) and runtime-private mounts would
     * otherwise flood the dashboard with a series each.
     */
    static boolean isReported(String mount, String type) {
        if (IGNORED_TYPES.contains(type == null ? "" : type.toLowerCase(Locale.ROOT))) {
            return false;
        }
        for (String tree : IGNORED_TREES) {
            if (mount.equals(tree) || mount.startsWith(tree + "/")) {
                return false;
            }
        }
        for (String parent : IGNORED_BELOW) {
            if (mount.startsWith(parent + "/")) {
                return false;
            }
        }
        return true;
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
