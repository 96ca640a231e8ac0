package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;

/** Every process on the server as the agent listed it on request. */
public record ProcessListView(Instant collectedAt, List<MetricsReport.ProcessInfo> processes)
        implements CborSerializable {
    public ProcessListView {
        processes = processes == null ? List.of() : List.copyOf(processes);
    }
}
