package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/**
 * One point of the in-memory recent window: the values live charts draw first, before history loads. Made on request
 * from the window's columns ({@link RecentWindow}); the network values are the sums over every interface but lo.
 */
public record WindowPoint(
        Instant at,
        double cpuPercent,
        double memoryPercent,
        double swapPercent,
        double load1,
        double diskPercent,
        double networkRxBytesPerSecond,
        double networkTxBytesPerSecond) implements CborSerializable {
}
