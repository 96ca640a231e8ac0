package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What the fleet overview shows for one server: identity, status and the latest headline values (null until the
 * first report is known).
 */
public record ServerSummary(
        String id,
        String hostname,
        String displayName,
        String group,
        List<String> tags,
        String notes,
        boolean online,
        Instant lastSeen,
        String agentVersion,
        Instant registeredAt,
        Double cpuPercent,
        Double memoryPercent,
        Double diskPercent,
        Double load1) implements CborSerializable {

    /** Headline values taken from a full report. */
    public record Headline(Instant at, double cpuPercent, double memoryPercent, double diskPercent, double load1)
            implements CborSerializable {
        public static Headline of(MetricsReport report) {
            return new Headline(report.collectedAt(), report.cpu().percent(), report.memory().percent(),
                    report.fullestFilesystemPercent(), report.cpu().load1());
        }
    }
}
