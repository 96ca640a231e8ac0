package io.steward.node.live;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.notify.InboxItem;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServicesBody;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the node sends a browser on {@code /ws/ui}: JSON objects whose {@code type} says which frame it is. The
 * dashboard's TypeScript types are generated from these records.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UiFrame.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = UiFrame.Fleet.class, name = "fleet"),
    @JsonSubTypes.Type(value = UiFrame.Server.class, name = "server"),
    @JsonSubTypes.Type(value = UiFrame.Services.class, name = "services"),
    @JsonSubTypes.Type(value = UiFrame.Removed.class, name = "removed"),
    @JsonSubTypes.Type(value = UiFrame.Backups.class, name = "backups"),
    @JsonSubTypes.Type(value = UiFrame.BackupProgress.class, name = "backup-progress"),
    @JsonSubTypes.Type(value = UiFrame.Inbox.class, name = "inbox"),
    @JsonSubTypes.Type(value = UiFrame.Error.class, name = "error"),
    @JsonSubTypes.Type(value = UiFrame.SessionEnded.class, name = "session-ended")
})
public sealed interface UiFrame {

    /** The socket is open for this user. */
    record Welcome(String username) implements UiFrame {}

    /**
     * The fleet: the whole of it ({@code snapshot}) after "watch-fleet", then the servers that changed and the ones
     * deleted since the last frame, coalesced.
     */
    record Fleet(boolean snapshot, List<ServerSummary> servers, List<String> removed) implements UiFrame {}

    /** A watched server changed; {@code report} is null for a change without a report (renamed, went offline). */
    record Server(String serverId, ServerSummary summary, @Nullable MetricsReport report) implements UiFrame {}

    /** A watched server's services, as {@code GET /api/servers/{id}/services} shows them. */
    record Services(String serverId, @JsonUnwrapped ServicesBody services) implements UiFrame {}

    /** A watched server's backup jobs, as {@code GET /api/servers/{id}/backups} shows them, after any change. */
    record Backups(String serverId, List<BackupsBody.JobBody> jobs) implements UiFrame {}

    /** How far a run, restore or test restore of a watched server's job is (about once a second while it runs). */
    record BackupProgress(String serverId, String jobId, BackupsBody.ProgressBody progress) implements UiFrame {}

    /** A watched server was deleted (or never existed). */
    record Removed(String serverId) implements UiFrame {}

    /** A new line for the bell. */
    record Inbox(InboxItem item) implements UiFrame {}

    /** The browser sent something this protocol does not take; the socket stays open. */
    record Error(String message) implements UiFrame {}

    /** The login session ended (logout, expiry): the socket closes next. */
    record SessionEnded() implements UiFrame {}
}
