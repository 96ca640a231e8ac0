package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the fleet overview shows for one server: identity, status and the latest headline values (null until the
 * first report is known).
 *
 * @param osName operating system name and version, null until the first report
 * @param addresses the server's IP addresses (no loopback or link-local), for search
 * @param uptimeSeconds uptime as of {@code lastSeen}
 * @param criticalAlerts firing critical alerts (pending ones are not counted)
 * @param warningAlerts firing warning alerts
 */
public record ServerSummary(
        String id,
        String hostname,
        @Nullable String displayName,
        @Nullable String group,
        List<String> tags,
        @Nullable String notes,
        boolean online,
        @Nullable Instant lastSeen,
        @Nullable String agentVersion,
        Instant registeredAt,
        @Nullable String osName,
        List<String> addresses,
        @Nullable Double cpuPercent,
        @Nullable Double memoryPercent,
        @Nullable Double diskPercent,
        @Nullable Double load1,
        @Nullable Long uptimeSeconds,
        int criticalAlerts,
        int warningAlerts) implements CborSerializable {

    public ServerSummary {
        tags = tags == null ? List.of() : List.copyOf(tags);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** Headline values taken from a full report; {@code uptimeSeconds} is null when not known. */
    public record Headline(
            Instant at, double cpuPercent, double memoryPercent, double diskPercent, double load1, Long uptimeSeconds)
            implements CborSerializable {
        public static Headline of(MetricsReport report) {
            return new Headline(report.collectedAt(), report.cpu().percent(), report.memory().percent(),
                    report.fullestFilesystemPercent(), report.cpu().load1(), report.host().uptimeSeconds());
        }
    }
}
