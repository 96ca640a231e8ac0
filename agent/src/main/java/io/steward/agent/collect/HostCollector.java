package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.HostInfo;
import java.time.Instant;
import java.util.Locale;
import oshi.hardware.CentralProcessor;
import oshi.software.os.OperatingSystem;

/** What the machine is. Everything but the uptime is read once: it changes only with a reboot or upgrade. */
final class HostCollector implements Collector<HostInfo> {
    private final OperatingSystem operatingSystem;
    private final HostInfo fixed;

    HostCollector(OperatingSystem operatingSystem, CentralProcessor processor) {
        this.operatingSystem = operatingSystem;
        OperatingSystem.OSVersionInfo version = operatingSystem.getVersionInfo();
        this.fixed = new HostInfo(
                HostName.local(),
                operatingSystem.getFamily(),
                version.getVersion(),
                version.getBuildNumber(),
                architecture(System.getProperty("os.arch", "")),
                processor.getProcessorIdentifier().getName().trim(),
                processor.getLogicalProcessorCount(),
                Instant.ofEpochSecond(operatingSystem.getSystemBootTime()),
                0);
    }

    @Override
    public HostInfo collect() {
        return new HostInfo(fixed.hostname(), fixed.osName(), fixed.osVersion(), fixed.kernel(),
                fixed.architecture(), fixed.cpuModel(), fixed.logicalCpus(), fixed.bootTime(),
                Math.max(0, operatingSystem.getSystemUptime()));
    }

    /** The JDK's names for the common architectures, translated to what {@code uname -m} prints. */
    static String architecture(String javaName) {
        return switch (javaName.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "arm64", "aarch64" -> "aarch64";
            default -> javaName;
        };
    }
}
