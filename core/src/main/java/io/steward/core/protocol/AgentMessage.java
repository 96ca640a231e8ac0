package io.steward.core.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** Frames an agent sends to a node. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(AgentMessage.Hello.class),
    @JsonSubTypes.Type(AgentMessage.Report.class),
    @JsonSubTypes.Type(AgentMessage.Services.class),
    @JsonSubTypes.Type(AgentMessage.CommandResult.class),
    @JsonSubTypes.Type(AgentMessage.ProcessList.class)
})
public sealed interface AgentMessage {

    /**
     * First frame of every connection.
     *
     * @param token either a per-server credential (after enrollment) or an enrollment token (first connect)
     * @param machineId a stable identifier of the host, so re-enrolling the same machine is recognisable
     */
    @JsonTypeName("hello")
    record Hello(int protocolVersion, String agentVersion, String token, String hostname, String machineId)
            implements AgentMessage {
        public Hello {
            requireNonNull(token, "token is null");
            requireNonNull(hostname, "hostname is null");
        }

        @Override
        public String toString() {
            // Never log the secret.
            return "Hello[protocolVersion=" + protocolVersion + ", agentVersion=" + agentVersion
                    + ", hostname=" + hostname + ", machineId=" + machineId + "]";
        }
    }

    /** One collection cycle's measurements; {@code sequence} is unique and increasing per server. */
    @JsonTypeName("report")
    record Report(long sequence, MetricsReport metrics) implements AgentMessage {
        public Report {
            requireNonNull(metrics, "metrics is null");
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence must be >= 1");
            }
        }
    }

    /**
     * The state of every service the agent watches, sent after each check. Live state, not history: it is not
     * spooled or acknowledged (the next check supersedes it).
     */
    @JsonTypeName("services")
    record Services(java.time.Instant checkedAt, java.util.List<io.steward.core.services.ServiceState> services)
            implements AgentMessage {
        public Services {
            requireNonNull(checkedAt, "checkedAt is null");
            services = services == null ? java.util.List.of() : java.util.List.copyOf(services);
        }
    }

    /**
     * The outcome of a {@link NodeMessage.ServiceCommand}.
     *
     * @param refused the agent would not act (not in its config, read-only): nothing was run
     * @param lines log lines for {@code LOGS}, oldest first; empty otherwise
     */
    @JsonTypeName("command-result")
    record CommandResult(String commandId, boolean ok, boolean refused, String message,
            java.util.List<String> lines) implements AgentMessage {
        public CommandResult {
            requireNonNull(commandId, "commandId is null");
            lines = lines == null ? java.util.List.of() : java.util.List.copyOf(lines);
        }
    }

    /** Every process as of the agent's latest collection, answering {@link NodeMessage.ListProcesses}. */
    @JsonTypeName("process-list")
    record ProcessList(String commandId, java.time.Instant collectedAt,
            java.util.List<MetricsReport.ProcessInfo> processes) implements AgentMessage {
        public ProcessList {
            requireNonNull(commandId, "commandId is null");
            processes = processes == null ? java.util.List.of() : java.util.List.copyOf(processes);
        }
    }
}
