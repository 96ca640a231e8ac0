package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.MetricsReport.FilesystemStats;
import java.util.Comparator;
import java.util.List;
import oshi.hardware.NetworkIF.IfOperStatus;
import org.junit.jupiter.api.Test;

/** The small pure rules the OSHI collectors rely on. */
class PureCollectionRulesTest {

    @Test
    void topKeepsTheGreatestInDescendingOrder() {
        List<Integer> values = List.of(5, 1, 9, 3, 7, 9, 2);
        assertThat(TopProcesses.top(values, 3, Comparator.naturalOrder())).containsExactly(9, 9, 7);
        assertThat(TopProcesses.top(values, 20, Comparator.naturalOrder())).containsExactly(9, 9, 7, 5, 3, 2, 1);
        assertThat(TopProcesses.top(values, 0, Comparator.naturalOrder())).isEmpty();
        assertThat(TopProcesses.top(List.<Integer>of(), 5, Comparator.naturalOrder())).isEmpty();
    }

    @Test
    void percentagesAreFiniteAndWithinRange() {
        assertThat(Percent.of(1, 4)).isEqualTo(25.0);
        assertThat(Percent.of(5, 0)).isZero();
        assertThat(Percent.of(7, 5)).isEqualTo(100.0);
        assertThat(Percent.ofRatio(Double.NaN)).isZero();
        assertThat(Percent.ofRatio(-0.5)).isZero();
        assertThat(Percent.nonNegative(-1)).isZero();
        assertThat(Percent.nonNegative(Double.POSITIVE_INFINITY)).isZero();
        assertThat(Percent.round2(12.3456)).isEqualTo(12.35);
    }

    @Test
    void filesystemUseIsComputedLikeDf() {
        // 100 GiB total, 40 free, 35 usable by users (5 reserved for root): df shows 60 / (60 + 35) = 63%.
        FilesystemStats stats = FilesystemCollector.stats("/", "/dev/vda1", "ext4", 100L << 30, 40L << 30, 35L << 30,
                1_000, 250);
        assertThat(stats.usedBytes()).isEqualTo(60L << 30);
        assertThat(stats.freeBytes()).isEqualTo(40L << 30);
        assertThat(stats.percent()).isEqualTo(63.16);
        assertThat(stats.inodesUsed()).isEqualTo(750);
        assertThat(stats.inodesPercent()).isEqualTo(75.0);
    }

    @Test
    void containerLayersAndImagesAreNotReportedAsFilesystems() {
        assertThat(FilesystemCollector.isReported("/", "ext4")).isTrue();
        assertThat(FilesystemCollector.isReported("/var/lib/data", "xfs")).isTrue();
        assertThat(FilesystemCollector.isReported("/tmp", "tmpfs")).isTrue();
        assertThat(FilesystemCollector.isReported("/var/lib/docker/overlay2/0f3a/merged", "overlay")).isFalse();
        assertThat(FilesystemCollector.isReported("/var/lib/docker", "ext4")).isTrue();
        assertThat(FilesystemCollector.isReported("/var/lib/docker/volumes/x", "ext4")).isFalse();
        assertThat(FilesystemCollector.isReported("/dev/shm", "tmpfs")).isFalse();
        assertThat(FilesystemCollector.isReported("/snap/core22/1380", "squashfs")).isFalse();
        assertThat(FilesystemCollector.isReported("/snapshots", "btrfs")).isTrue();
        assertThat(FilesystemCollector.isReported("/run/credentials/systemd-journald.service", "ramfs")).isFalse();
    }

    @Test
    void filesystemsWithoutInodesReportNone() {
        FilesystemStats stats = FilesystemCollector.stats("/mnt/c", "C:", "vfat", 1_000, 500, 500, 0, 0);
        assertThat(stats.inodesTotal()).isZero();
        assertThat(stats.inodesPercent()).isZero();
    }

    @Test
    void disksAreNamedLikeIostatAndLoopDevicesSkipped() {
        assertThat(DiskCollector.shortName("/dev/nvme0n1")).isEqualTo("nvme0n1");
        assertThat(DiskCollector.shortName("disk0")).isEqualTo("disk0");
        assertThat(DiskCollector.isPhysical("sda", 1)).isTrue();
        assertThat(DiskCollector.isPhysical("loop3", 1 << 20)).isFalse();
        assertThat(DiskCollector.isPhysical("zram0", 0)).isFalse();
    }

    @Test
    void loopbackInUnknownStateWithAnAddressCountsAsUp() {
        assertThat(NetworkCollector.isUp(IfOperStatus.UP, false)).isTrue();
        assertThat(NetworkCollector.isUp(IfOperStatus.UNKNOWN, true)).isTrue();
        assertThat(NetworkCollector.isUp(IfOperStatus.UNKNOWN, false)).isFalse();
        assertThat(NetworkCollector.isUp(IfOperStatus.DOWN, true)).isFalse();
        assertThat(NetworkCollector.mac("unknown")).isNull();
        assertThat(NetworkCollector.mac("52:54:00:12:34:56")).isEqualTo("52:54:00:12:34:56");
    }

    @Test
    void architecturesAreNamedLikeUname() {
        assertThat(HostCollector.architecture("amd64")).isEqualTo("x86_64");
        assertThat(HostCollector.architecture("aarch64")).isEqualTo("aarch64");
        assertThat(HostCollector.architecture("riscv64")).isEqualTo("riscv64");
    }
}
