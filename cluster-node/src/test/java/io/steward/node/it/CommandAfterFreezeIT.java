package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process frozen with SIGSTOP (a suspended VM) while its restart command is with the agent: both
 * deadlines for the command (the connection's and the entity's) pass during the freeze and fire as it wakes, ahead
 * of the agent's answer. The answer still counts: the restart is recovered in one attempt, not failed and sent again.
 */
class CommandAfterFreezeIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /**
     * The connection's deadline; the entity's is 5 s later. Long enough that the test's SIGSTOP lands before the first,
     * and its answer after the wake before the put-off one, on a loaded machine.
     */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** How long after the command is sent the node is frozen: its deadlines are armed by then, far from ending. */
    private static final Duration ARMED = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void aRestartAnsweredAfterAFreezeCountsAsDoneNotAsAFailedAttempt() throws Exception {
        Path config = dir.resolve("node.conf");
        Files.writeString(config, "steward.services.command-timeout = " + COMMAND_TIMEOUT.toSeconds() + "s\n");
        int port = FreePort.find();
        NodeJvm node = NodeJvm.start("command-after-freeze", dir, port, List.of(
                "--data-dir", dir.resolve("data").toString(),
                "--bind", "127.0.0.1",
                "--http-port", String.valueOf(port),
                "--config", config.toString()), Map.of("STEWARD_ADMIN_PASSWORD", TestNodes.ADMIN_PASSWORD));
        try {
            node.awaitServing(Duration.ofSeconds(60));
            ApiClient api = new ApiClient(port);
            api.loginAsAdmin();
            try (RawAgentSocket agent = new RawAgentSocket(port)) {
                agent.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test",
                        api.enrollmentToken(), "frozen-host", "machine-frozen-host")));
                String serverId = ((NodeMessage.Welcome) agent.next()).serverId();
                agent.send(WireFormat.encode(new AgentMessage.Services(Instant.now(), List.of(worker(true)))));
                agent.send(WireFormat.encode(new AgentMessage.Services(Instant.now(), List.of(worker(false)))));
                NodeMessage.ServiceCommand restart = nextCommand(agent);
                assertThat(restart.action()).isEqualTo(ServiceAction.RESTART);

                // Part of the scenario, not a wait for a result: Pekko's scheduler counts a delay from when its timer
                // thread takes the timer up (at its next 10 ms tick). A SIGSTOP within that tick would start both
                // deadlines at the wake (seen once: each was put off 5 and 10 s after it, and the connection's
                // second ran out before the answer). Frozen a second after sending, both are running.
                Thread.sleep(ARMED.toMillis());
                node.signal("STOP");
                // Frozen past both deadlines; the freeze's length is what is tested, not a wait for something.
                Thread.sleep(COMMAND_TIMEOUT.plusSeconds(7).toMillis());
                node.signal("CONT");
                // Woken, both deadlines fired and were put off: only now does the agent's answer come.
                eventually(WAIT, () -> assertThat(node.logLines("by its deadline, but this process stood still"))
                        .as("the connection and the entity put off their deadlines").hasSize(2));
                agent.send(WireFormat.encode(new AgentMessage.CommandResult(restart.commandId(), true, false,
                        "restarted", List.of())));
                agent.send(WireFormat.encode(new AgentMessage.Services(Instant.now(), List.of(worker(true)))));

                eventually(WAIT, () -> assertThat(serviceEvents(api, serverId)).contains("service-recovered"));
                assertThat(serviceEvents(api, serverId)).as("no failed attempt, no second restart: %s",
                                api.get("/api/servers/" + serverId + "/events?limit=50").json())
                        .doesNotContain("service-restart-failed")
                        .containsOnlyOnce("service-restart-attempted");
            }
        } finally {
            node.destroy(Path.of("target", "command-after-freeze"));
        }
    }

    private static ServiceState worker(boolean running) {
        return new ServiceState("worker", ServiceState.Kind.PROCESS,
                running ? ServiceState.Status.RUNNING : ServiceState.Status.DOWN, "test", null, null, null, null,
                null, null, true);
    }

    /** The next service command the node sends, passing over other frames. */
    private static NodeMessage.ServiceCommand nextCommand(RawAgentSocket agent) {
        for (int i = 0; i < 20; i++) {
            if (agent.next() instanceof NodeMessage.ServiceCommand command) {
                return command;
            }
        }
        throw new AssertionError("no service command among the node's next 20 frames");
    }

    /** The types of the server's service events in its history, newest first. */
    private static List<String> serviceEvents(ApiClient api, String serverId) {
        List<String> types = new ArrayList<>();
        for (JsonNode event : api.get("/api/servers/" + serverId + "/events?limit=50").json().get("events")) {
            String type = event.get("type").asText();
            if (type.startsWith("service-")) {
                types.add(type);
            }
        }
        return types;
    }
}
