package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/** One point of the in-memory recent window: the values live charts draw first, before history loads. */
public record WindowPoint(
        Instant at,
        double cpuPercent,
        double memoryPercent,
        double swapPercent,
        double load1,
        double diskPercent,
        double networkRxBytesPerSecond,
        double networkTxBytesPerSecond) implements CborSerializable {

    static WindowPoint of(MetricsReport report) {
        double rx = 0;
        double tx = 0;
        for (MetricsReport.NetworkStats nic : report.interfaces()) {
            if (!"lo".equals(nic.name())) {
                rx += nic.rxBytesPerSecond();
                tx += nic.txBytesPerSecond();
            }
        }
        return new WindowPoint(report.collectedAt(), report.cpu().percent(), report.memory().percent(),
                report.memory().swapPercent(), report.cpu().load1(), report.fullestFilesystemPercent(), rx, tx);
    }
}
