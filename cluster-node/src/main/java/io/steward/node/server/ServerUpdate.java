package io.steward.node.server;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.serialization.CborSerializable;

/** Pushed by a server entity to its subscribers (browser sessions) on every change. */
public sealed interface ServerUpdate extends CborSerializable {

    /** A new report arrived; carries the refreshed summary and the full report. */
    record Reported(ServerSummary summary, MetricsReport report) implements ServerUpdate {}

    /** Status or details changed without a report (went offline, renamed...). */
    record Changed(ServerSummary summary) implements ServerUpdate {}

    /** The agent checked its services (or a recovery moved on): for the pages watching this server. */
    record ServicesChanged(String serverId, ServicesView services) implements ServerUpdate {}

    /** The server was deleted; subscribers should drop it. */
    record Removed(String serverId) implements ServerUpdate {}

    /** A server's backup jobs changed (a run started or ended, a job was edited…): for the pages watching it. */
    record BackupsChanged(String serverId, BackupsView backups) implements ServerUpdate {}

    /** The agent's latest word on a run, restore or test restore of {@code jobId}: live only, never stored. */
    record BackupProgressed(String serverId, String jobId, AgentMessage.BackupProgress progress)
            implements ServerUpdate {}
}
