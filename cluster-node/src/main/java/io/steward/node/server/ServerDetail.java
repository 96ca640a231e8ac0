package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.serialization.CborSerializable;
import java.util.List;

/**
 * Everything the detail page needs in one answer.
 *
 * @param system as of the latest report, or as last persisted
 * @param latest the latest report, null until one arrives after the entity started
 * @param lastEventSequence the newest event of the server's history
 */
public record ServerDetail(
        ServerSummary summary,
        SystemIdentity system,
        MetricsReport latest,
        List<WindowPoint> recent,
        long lastEventSequence) implements CborSerializable {
    public ServerDetail {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }
}
