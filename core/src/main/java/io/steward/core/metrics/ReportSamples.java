package io.steward.core.metrics;

import io.steward.core.protocol.MetricsReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a report into the numeric series Steward stores and charts. The names here are the public metric names of
 * the query API (documented in the README); renaming one breaks stored history.
 */
public final class ReportSamples {
    private ReportSamples() {}

    /** Series name to value, in a stable order. Non-finite values are left out rather than stored as garbage. */
    public static Map<String, Double> of(MetricsReport report) {
        Map<String, Double> samples = new LinkedHashMap<>();
        put(samples, "cpu.percent", report.cpu().percent());
        put(samples, "load.1", report.cpu().load1());
        put(samples, "load.5", report.cpu().load5());
        put(samples, "load.15", report.cpu().load15());
        put(samples, "memory.percent", report.memory().percent());
        put(samples, "memory.used.bytes", report.memory().usedBytes());
        put(samples, "swap.percent", report.memory().swapPercent());
        put(samples, "processes.count", report.processes().count());
        put(samples, "threads.count", report.processes().threadCount());
        put(samples, "uptime.seconds", report.host().uptimeSeconds());
        for (MetricsReport.FilesystemStats fs : report.filesystems()) {
            put(samples, labelled("disk.percent", "mount", fs.mount()), fs.percent());
            put(samples, labelled("disk.used.bytes", "mount", fs.mount()), fs.usedBytes());
            put(samples, labelled("inodes.percent", "mount", fs.mount()), fs.inodesPercent());
        }
        for (MetricsReport.DiskStats disk : report.disks()) {
            put(samples, labelled("disk.read.bytes", "disk", disk.name()), disk.readBytesPerSecond());
            put(samples, labelled("disk.write.bytes", "disk", disk.name()), disk.writeBytesPerSecond());
            put(samples, labelled("disk.read.ops", "disk", disk.name()), disk.readOpsPerSecond());
            put(samples, labelled("disk.write.ops", "disk", disk.name()), disk.writeOpsPerSecond());
        }
        for (MetricsReport.NetworkStats nic : report.interfaces()) {
            put(samples, labelled("net.rx.bytes", "iface", nic.name()), nic.rxBytesPerSecond());
            put(samples, labelled("net.tx.bytes", "iface", nic.name()), nic.txBytesPerSecond());
            put(samples, labelled("net.rx.packets", "iface", nic.name()), nic.rxPacketsPerSecond());
            put(samples, labelled("net.tx.packets", "iface", nic.name()), nic.txPacketsPerSecond());
        }
        return samples;
    }

    private static String labelled(String metric, String label, String value) {
        return metric + "{" + label + "=" + value + "}";
    }

    private static void put(Map<String, Double> samples, String name, double value) {
        if (Double.isFinite(value) && name.length() <= SeriesName.MAX_LENGTH) {
            samples.put(name, value);
        }
    }
}
