package io.steward.core.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupPaths;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.Retention;
import io.steward.core.backup.SnapshotName;
import io.steward.core.checks.AssignedCheck;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Frames a node sends to an agent. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(NodeMessage.Welcome.class),
    @JsonSubTypes.Type(NodeMessage.IntervalSuggested.class),
    @JsonSubTypes.Type(NodeMessage.Ack.class),
    @JsonSubTypes.Type(NodeMessage.Error.class),
    @JsonSubTypes.Type(NodeMessage.ServiceCommand.class),
    @JsonSubTypes.Type(NodeMessage.ListProcesses.class),
    @JsonSubTypes.Type(NodeMessage.BackupRun.class),
    @JsonSubTypes.Type(NodeMessage.FetchHostKey.class),
    @JsonSubTypes.Type(NodeMessage.BrowseSnapshot.class),
    @JsonSubTypes.Type(NodeMessage.RestoreFiles.class),
    @JsonSubTypes.Type(NodeMessage.VerifySnapshot.class),
    @JsonSubTypes.Type(NodeMessage.BackupAck.class),
    @JsonSubTypes.Type(NodeMessage.CredentialRotated.class),
    @JsonSubTypes.Type(NodeMessage.ChecksAssign.class),
    @JsonSubTypes.Type(NodeMessage.ChecksRun.class)
})
public sealed interface NodeMessage {

    /**
     * Handshake accepted.
     *
     * @param credential set only when the agent enrolled with an enrollment token: the per-server secret it must save
     *     and present from now on (the node keeps only its hash)
     * @param lastStoredSequence the highest report sequence already stored for this server (0 if none), so an agent
     *     that lost its state directory continues above it instead of colliding with stored reports
     * @param hubs the agent endpoints ({@code wss://host:port/ws/agent}) of the cluster's members that are up now,
     *     this node's first: where the agent goes when this one is lost (it remembers them in its state directory).
     *     Empty from a node that does not say (an older one), or while it does not know every member's endpoint yet
     * @param hubPins for those of {@code hubs} that serve a self-signed certificate: its SHA-256 pin
     *     ({@code AB:CD:...}), keyed by the hub's endpoint. An agent that pins certificates may trust these only
     *     because the welcome came over a connection it verified. Empty from an older node (added later: optional)
     * @param suggestedIntervalMillis the collection interval the node's admin chose for agents that do not set their
     *     own; 0 when the node does not say (an older node). Added later: optional
     */
    @JsonTypeName("welcome")
    record Welcome(int protocolVersion, String serverId, String credential, long lastStoredSequence,
            List<String> hubs, Map<String, String> hubPins, long suggestedIntervalMillis) implements NodeMessage {
        public static final int MAX_HUBS = 64;

        public Welcome {
            requireNonNull(serverId, "serverId is null");
            hubs = hubs == null ? List.of() : List.copyOf(hubs);
            if (hubs.size() > MAX_HUBS) {
                throw new IllegalArgumentException("hubs: at most " + MAX_HUBS);
            }
            hubPins = hubPins == null ? Map.of() : hubPins.entrySet().stream()
                    .filter(entry -> entry.getKey() != null && entry.getValue() != null) // not a reason to refuse
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            if (hubPins.size() > MAX_HUBS) {
                throw new IllegalArgumentException("hubPins: at most " + MAX_HUBS);
            }
            if (suggestedIntervalMillis < 0) {
                throw new IllegalArgumentException("suggestedIntervalMillis must not be negative");
            }
        }

        /** A welcome that suggests no interval. */
        public Welcome(int protocolVersion, String serverId, String credential, long lastStoredSequence,
                List<String> hubs, Map<String, String> hubPins) {
            this(protocolVersion, serverId, credential, lastStoredSequence, hubs, hubPins, 0);
        }

        /** A welcome that names no other hub. */
        public Welcome(int protocolVersion, String serverId, String credential, long lastStoredSequence) {
            this(protocolVersion, serverId, credential, lastStoredSequence, List.of(), Map.of());
        }

        /** A welcome naming hubs none of which has a pin. */
        public Welcome(int protocolVersion, String serverId, String credential, long lastStoredSequence,
                List<String> hubs) {
            this(protocolVersion, serverId, credential, lastStoredSequence, hubs, Map.of());
        }

        @Override
        public String toString() {
            return "Welcome[protocolVersion=" + protocolVersion + ", serverId=" + serverId
                    + ", credential=" + (credential == null ? "none" : "issued")
                    + ", lastStoredSequence=" + lastStoredSequence + ", hubs=" + hubs + ", hubPins=" + hubPins
                    + ", suggestedIntervalMillis=" + suggestedIntervalMillis + "]";
        }
    }

    /**
     * The node's suggested collection interval changed while this agent is connected (an admin changed the
     * Settings page's agent interval): the agent takes it as it takes a {@link Welcome}'s
     * {@code suggestedIntervalMillis} — followed unless it sets an interval of its own. Sent only after the welcome,
     * and only when the suggestion differs from the one this connection last carried. Added later: an older agent does
     * not know the type, logs "Ignoring a malformed frame from the node" and carries on, keeping the interval of its
     * last welcome until it connects again.
     *
     * @param suggestedIntervalMillis the new suggestion; positive (unlike the welcome's, there is no "does not say")
     */
    @JsonTypeName("interval-suggested")
    record IntervalSuggested(long suggestedIntervalMillis) implements NodeMessage {
        public IntervalSuggested {
            if (suggestedIntervalMillis <= 0) {
                throw new IllegalArgumentException("suggestedIntervalMillis must be positive");
            }
        }
    }

    /** The report with this sequence is durably stored (or was already): the agent may delete it. */
    @JsonTypeName("ack")
    record Ack(long sequence) implements NodeMessage {}

    /**
     * Something the agent sent was refused.
     *
     * @param sequence the report concerned, or 0 when the error is about the connection
     * @param fatal the node closes the connection after a fatal error
     */
    @JsonTypeName("error")
    record Error(ErrorCode code, String message, long sequence, boolean fatal) implements NodeMessage {
        public Error {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Asks the agent to act on one of its configured services. The agent checks {@code service} against its own
     * config and runs only the commands configured there; it answers with an {@link AgentMessage.CommandResult}.
     *
     * @param lines how many log lines, for {@code LOGS} (1..1000)
     */
    @JsonTypeName("service-command")
    record ServiceCommand(String commandId, String service, io.steward.core.services.ServiceAction action, int lines)
            implements NodeMessage {
        public ServiceCommand {
            requireNonNull(commandId, "commandId is null");
            requireNonNull(service, "service is null");
            requireNonNull(action, "action is null");
        }
    }

    /** Asks for every process (the reports carry only the heaviest); answered with {@link AgentMessage.ProcessList}. */
    @JsonTypeName("list-processes")
    record ListProcesses(String commandId) implements NodeMessage {
        public ListProcesses {
            requireNonNull(commandId, "commandId is null");
        }
    }

    // ---------------------------------------------------------------- backups
    // The agent checks every job against its own allow-list (--backups FILE) before it runs anything, and pins the
    // destination's host key to the one given here (StrictHostKeyChecking): a node cannot widen what an agent does.

    /**
     * Runs a backup now: a new snapshot {@code snapshot} of {@code job}, hard-linked to the newest good one, then
     * retention applied on the destination. Answered by {@link AgentMessage.BackupProgress} while it runs and one
     * {@link AgentMessage.BackupRunResult}, which the agent keeps sending (also after reconnecting) until
     * {@link BackupAck}.
     *
     * @param runId unique per run; an agent never runs the same id twice
     */
    @JsonTypeName("backup-run")
    record BackupRun(String runId, BackupJobSpec job, String snapshot, HostKey hostKey, Retention retention,
            String retentionZone) implements NodeMessage {
        public BackupRun {
            requireNonNull(runId, "runId is null");
            requireNonNull(job, "job is null");
            requireNonNull(hostKey, "hostKey is null");
            requireNonNull(retention, "retention is null");
            requireNonNull(retentionZone, "retentionZone is null");
            if (!SnapshotName.isValid(snapshot)) {
                throw new IllegalArgumentException("not a snapshot name: " + snapshot);
            }
            try {
                ZoneId.of(retentionZone); // the agent counts retention's days in it
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("retentionZone: '" + retentionZone + "' is not a time zone");
            }
        }
    }

    /** Asks for the destination's host key (ssh-keyscan); answered with {@link AgentMessage.HostKeyFetched}. */
    @JsonTypeName("backup-fetch-host-key")
    record FetchHostKey(String commandId, BackupDestination destination) implements NodeMessage {
        public FetchHostKey {
            requireNonNull(commandId, "commandId is null");
            requireNonNull(destination, "destination is null");
        }
    }

    /**
     * Lists one directory of a snapshot; answered with {@link AgentMessage.SnapshotTree}.
     *
     * @param path a path on the server as the snapshot holds it ({@code /srv/www}); {@code /} for the top
     */
    @JsonTypeName("backup-browse")
    record BrowseSnapshot(String commandId, BackupJobSpec job, HostKey hostKey, String snapshot, String path)
            implements NodeMessage {
        public BrowseSnapshot {
            requireNonNull(commandId, "commandId is null");
            requireNonNull(job, "job is null");
            requireNonNull(hostKey, "hostKey is null");
            if (!SnapshotName.isValid(snapshot)) {
                throw new IllegalArgumentException("not a snapshot name: " + snapshot);
            }
            path = BackupPaths.absolute("path", path, BackupJobSpec.MAX_SOURCE_PATH);
        }
    }

    /**
     * Restores a file or directory of a snapshot: to where it was ({@code target} null), or under {@code target}
     * with its full path ({@code /srv/www/a.html} to {@code /tmp/r} gives {@code /tmp/r/srv/www/a.html}). The agent
     * restores only into its allowed source roots. Progress and one reliable {@link AgentMessage.RestoreResult}.
     */
    @JsonTypeName("backup-restore")
    record RestoreFiles(String restoreId, BackupJobSpec job, HostKey hostKey, String snapshot, String path,
            @Nullable String target) implements NodeMessage {
        public RestoreFiles {
            requireNonNull(restoreId, "restoreId is null");
            requireNonNull(job, "job is null");
            requireNonNull(hostKey, "hostKey is null");
            if (!SnapshotName.isValid(snapshot)) {
                throw new IllegalArgumentException("not a snapshot name: " + snapshot);
            }
            path = BackupPaths.absolute("path", path, BackupJobSpec.MAX_SOURCE_PATH);
            if (path.equals("/")) {
                throw new IllegalArgumentException("path: name a file or directory of the snapshot, not '/'");
            }
            target = target == null ? null : BackupPaths.absolute("target", target, BackupJobSpec.MAX_SOURCE_PATH);
        }
    }

    /**
     * A test restore: a sample of the newest good snapshot's files restored to a temporary directory and compared
     * (SHA-256) with the source where the source did not change since; the sample is chosen so that every file is
     * checked at least once every {@code coverageDays}. Progress and one reliable {@link AgentMessage.VerifyResult}.
     */
    @JsonTypeName("backup-verify")
    record VerifySnapshot(String verifyId, BackupJobSpec job, HostKey hostKey, int coverageDays)
            implements NodeMessage {
        public VerifySnapshot {
            requireNonNull(verifyId, "verifyId is null");
            requireNonNull(job, "job is null");
            requireNonNull(hostKey, "hostKey is null");
            if (coverageDays < 1 || coverageDays > 366) {
                throw new IllegalArgumentException("coverageDays must be from 1 to 366");
            }
        }
    }

    /** The node has recorded the result of {@code commandId} (a run, restore or verification): forget it. */
    @JsonTypeName("backup-ack")
    record BackupAck(String commandId) implements NodeMessage {
        public BackupAck {
            requireNonNull(commandId, "commandId is null");
        }
    }

    /**
     * The answer to {@link AgentMessage.RotateCredential}: the agent saves {@code credential} and presents it from its
     * next hello on; the first hello with it retires the old one.
     */
    @JsonTypeName("credential-rotated")
    record CredentialRotated(String credential) implements NodeMessage {
        public CredentialRotated {
            requireNonNull(credential, "credential is null");
        }

        @Override
        public String toString() {
            return "CredentialRotated[credential=issued]"; // never log the secret
        }
    }

    // ---------------------------------------------------------------- checks

    /**
     * Every URL, TCP, TLS and DNS check this agent should run, replacing whatever it ran before (so a lost frame is
     * repaired by the next one). Sent after every welcome and whenever the list changes; results come back in
     * {@link AgentMessage.CheckResults}. The agent refuses checks beyond its own cap.
     */
    @JsonTypeName("checks-assign")
    record ChecksAssign(List<AssignedCheck> checks) implements NodeMessage {
        public static final int MAX_CHECKS = 10_000;

        public ChecksAssign {
            checks = checks == null ? List.of() : List.copyOf(checks);
            if (checks.size() > MAX_CHECKS) {
                throw new IllegalArgumentException("checks: at most " + MAX_CHECKS);
            }
            Set<String> ids = new HashSet<>();
            for (AssignedCheck check : checks) {
                if (!ids.add(check.id())) {
                    throw new IllegalArgumentException("checks: the id '" + check.id() + "' occurs twice");
                }
            }
        }
    }

    /** Runs these assigned checks now, outside their rhythm (the "run now" button); unknown ids are ignored. */
    @JsonTypeName("checks-run")
    record ChecksRun(List<String> ids) implements NodeMessage {
        public static final int MAX_IDS = 100;

        public ChecksRun {
            ids = ids == null ? List.of() : List.copyOf(ids);
            if (ids.isEmpty() || ids.size() > MAX_IDS) {
                throw new IllegalArgumentException("ids: 1 to " + MAX_IDS);
            }
        }
    }
}
