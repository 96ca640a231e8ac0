package io.steward.node.server;

import io.steward.core.protocol.MetricsReport;

/** Reports and their absence: handled by {@link PresenceHandler}. */
public sealed interface PresenceCommand extends ServerCommand permits PresenceCommand.ReportReceived,
        PresenceHandler.OfflineCheck, PresenceHandler.StoreChecked {

    /** A report that the metric store has accepted. Fire-and-forget: the agent's ack does not wait for this. */
    record ReportReceived(long sequence, MetricsReport report) implements PresenceCommand {}
}
