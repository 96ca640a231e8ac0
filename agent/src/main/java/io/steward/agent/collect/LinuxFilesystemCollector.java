package io.steward.agent.collect;

import com.sun.jna.platform.linux.LibC;
import io.steward.core.protocol.MetricsReport.FilesystemStats;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oshi.util.FileSystemUtil;
import oshi.util.GlobalConfig;

/**
 * Every mounted local file system with space and inode use, as {@link FilesystemCollector} reports it through OSHI
 * (the same mounts, the same exclusions, the same statvfs figures), without what OSHI does besides on each call: run
 * {@code lsblk} for labels and resolve /dev/disk/by-uuid. /proc/self/mounts is read each cycle so mounts and unmounts
 * show at once, but parsed and filtered only when its text changed; then one statvfs per mount.
 */
final class LinuxFilesystemCollector implements Collector<List<FilesystemStats>> {
    /** OSHI's own configuration (oshi.properties), so both collectors skip the same mounts. */
    private static final Set<String> PSEUDO_TYPES = configuredTypes(GlobalConfig.OSHI_PSEUDO_FILESYSTEM_TYPES);
    private static final Set<String> NETWORK_TYPES = configuredTypes(GlobalConfig.OSHI_NETWORK_FILESYSTEM_TYPES);
    private static final List<PathMatcher> PATH_EXCLUDES =
            FileSystemUtil.loadAndParseFileSystemConfig("oshi.os.linux.filesystem.path.excludes");
    private static final List<PathMatcher> PATH_INCLUDES =
            FileSystemUtil.loadAndParseFileSystemConfig("oshi.os.linux.filesystem.path.includes");
    private static final List<PathMatcher> VOLUME_EXCLUDES =
            FileSystemUtil.loadAndParseFileSystemConfig("oshi.os.linux.filesystem.volume.excludes");
    private static final List<PathMatcher> VOLUME_INCLUDES =
            FileSystemUtil.loadAndParseFileSystemConfig("oshi.os.linux.filesystem.volume.includes");

    private static Set<String> configuredTypes(String key) {
        return new HashSet<>(Arrays.asList(GlobalConfig.get(key, "").split(","))); // OSHI's list repeats "procfs"
    }

    /** One mount worth a statvfs each cycle. */
    record Mount(String device, String mount, String type) {}

    private final ProcFiles files = new ProcFiles(8192);
    private final LibC.Statvfs statvfs = new LibC.Statvfs();
    private byte[] lastMounts = new byte[0];
    private int lastLength = -1;
    private List<Mount> mounts = List.of();

    @Override
    public List<FilesystemStats> collect() {
        ProcText text;
        try {
            text = files.read("/proc/self/mounts");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Arrays.equals(text.bytes(), 0, text.end(), lastMounts, 0, Math.max(0, lastLength))) {
            mounts = parseMounts(text);
            lastMounts = Arrays.copyOf(text.bytes(), text.end());
            lastLength = text.end();
        }
        List<FilesystemStats> result = new ArrayList<>(mounts.size());
        for (Mount mount : mounts) {
            if (LibC.INSTANCE.statvfs(mount.mount(), statvfs) != 0) {
                continue; // gone since the listing, or not ours to see
            }
            long blockSize = statvfs.f_frsize.longValue();
            long total = statvfs.f_blocks.longValue() * blockSize;
            long usable = statvfs.f_bavail.longValue() * blockSize;
            long free = statvfs.f_bfree.longValue() * blockSize;
            if (total == 0) { // as OSHI: the JDK's figures when statvfs gives none
                File file = new File(mount.mount());
                total = file.getTotalSpace();
                usable = file.getUsableSpace();
                free = file.getFreeSpace();
            }
            if (total <= 0 || alreadyListed(result, mount.mount())) {
                continue; // pseudo file systems report no size; bind mounts repeat a mount point
            }
            result.add(FilesystemCollector.stats(mount.mount(), mount.device(), mount.type(), total, free, usable,
                    statvfs.f_files.longValue(), statvfs.f_ffree.longValue()));
        }
        return result;
    }

    private static boolean alreadyListed(List<FilesystemStats> listed, String mount) {
        for (FilesystemStats stats : listed) {
            if (stats.mount().equals(mount)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The mounts of /proc/self/mounts ("device mountpoint type options 0 0", with the kernel's octal escapes in names
     * undone) that both OSHI's local-file-system filter and {@link FilesystemCollector#isReported} keep, in the file's
     * order.
     */
    static List<Mount> parseMounts(ProcText text) {
        List<Mount> result = new ArrayList<>();
        while (!text.atEnd()) {
            int deviceStart = text.skipWord();
            int deviceEnd = text.position();
            int mountStart = text.skipWord();
            int mountEnd = text.position();
            int typeStart = text.skipWord();
            int typeEnd = text.position();
            text.nextLine();
            if (typeEnd <= typeStart) {
                continue;
            }
            String device = unescapedText(text, deviceStart, deviceEnd);
            String mount = unescapedText(text, mountStart, mountEnd);
            String type = text.text(typeStart, typeEnd);
            if (NETWORK_TYPES.contains(type)) {
                continue; // local file systems only, as the OSHI collector asks for
            }
            if (!mount.equals("/") && (PSEUDO_TYPES.contains(type) || FileSystemUtil.isFileStoreExcluded(mount, device,
                    PATH_INCLUDES, PATH_EXCLUDES, VOLUME_INCLUDES, VOLUME_EXCLUDES))) {
                continue;
            }
            if (FilesystemCollector.isReported(mount, type)) {
                result.add(new Mount(device, mount, type));
            }
        }
        return result;
    }

    /**
     * The bytes from {@code start} to {@code stop} with each backslash and three octal digits turned back into the
     * byte they stand for: the kernel writes space, tab, newline and backslash in mount names as \040, \011, \012 and
     * \134. Decoded as bytes, then as UTF-8, since a name may hold any bytes.
     */
    static String unescapedText(ProcText text, int start, int stop) {
        byte[] bytes = text.bytes();
        byte[] decoded = null;
        int length = 0;
        for (int i = start; i < stop; i++) {
            if (bytes[i] == '\\' && i + 3 < stop && isOctalEscape(bytes, i + 1)) {
                if (decoded == null) {
                    decoded = Arrays.copyOfRange(bytes, start, stop);
                    length = i - start;
                }
                decoded[length++] =
                        (byte) (((bytes[i + 1] - '0') << 6) | ((bytes[i + 2] - '0') << 3) | (bytes[i + 3] - '0'));
                i += 3;
            } else if (decoded != null) {
                decoded[length++] = bytes[i];
            }
        }
        return decoded == null
                ? text.text(start, stop)
                : new String(decoded, 0, length, StandardCharsets.UTF_8);
    }

    /** Whether three octal digits no greater than 377 (one byte) start at {@code at}. */
    private static boolean isOctalEscape(byte[] bytes, int at) {
        return bytes[at] >= '0' && bytes[at] <= '3'
                && bytes[at + 1] >= '0' && bytes[at + 1] <= '7'
                && bytes[at + 2] >= '0' && bytes[at + 2] <= '7';
    }
}
