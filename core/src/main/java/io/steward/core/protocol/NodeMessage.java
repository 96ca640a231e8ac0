package io.steward.core.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** Frames a node sends to an agent. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(NodeMessage.Welcome.class),
    @JsonSubTypes.Type(NodeMessage.Ack.class),
    @JsonSubTypes.Type(NodeMessage.Error.class),
    @JsonSubTypes.Type(NodeMessage.ServiceCommand.class),
    @JsonSubTypes.Type(NodeMessage.ListProcesses.class)
})
public sealed interface NodeMessage {

    /**
     * Handshake accepted.
     *
     * @param credential set only when the agent enrolled with an enrollment token: the per-server secret it must save
     *     and present from now on (the node keeps only its hash)
     * @param lastStoredSequence the highest report sequence already stored for this server (0 if none), so an agent
     *     that lost its state directory continues above it instead of colliding with stored reports
     */
    @JsonTypeName("welcome")
    record Welcome(int protocolVersion, String serverId, String credential, long lastStoredSequence)
            implements NodeMessage {
        public Welcome {
            requireNonNull(serverId, "serverId is null");
        }

        @Override
        public String toString() {
            return "Welcome[protocolVersion=" + protocolVersion + ", serverId=" + serverId
                    + ", credential=" + (credential == null ? "none" : "issued")
                    + ", lastStoredSequence=" + lastStoredSequence + "]";
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
}
