package io.steward.node;

import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.collect.OshiCollector;
import io.steward.agent.link.HubTrust;
import io.steward.node.auth.EnrollmentTokens;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent a node runs for its own machine ({@code --local-agent}), so a newcomer sees a live server at once. It
 * is an ordinary agent talking to this node over loopback, enrolled with a one-use token the node makes for it
 * (a saved credential from an earlier start takes precedence, so the server and its history are kept).
 */
final class LocalAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalAgent.class);

    private final Agent agent;

    private LocalAgent(Agent agent) {
        this.agent = agent;
    }

    static LocalAgent start(StewardNode node) {
        try {
            EnrollmentTokens.EnrollmentToken token =
                    node.credentials().createEnrollmentToken("local-agent", Duration.ofMinutes(10), 1);
            Path stateDirectory = Path.of(node.config().getString("steward.data-dir")).resolve("local-agent");
            // Over loopback; with HTTPS it trusts exactly the certificate the node serves (whatever its names).
            String scheme = node.tls().isPresent() ? "wss" : "ws";
            AgentSettings settings = AgentSettings.builder()
                    .hub(URI.create(scheme + "://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .trust(node.tls().<HubTrust>map(tls -> new HubTrust.Embedded(tls.trustingItself()))
                            .orElseGet(HubTrust.PublicAuthorities::new))
                    .token(token.token())
                    .interval(node.config().getDuration("steward.local-agent.interval"))
                    .stateDirectory(stateDirectory)
                    // It reports to its own node over loopback only, never to the other members a welcome names.
                    .rememberHubs(false)
                    .build();
            LocalAgent local = new LocalAgent(Agent.start(settings, new OshiCollector()));
            local.registerAsLocalVantage(node);
            // Says goodbye before the node stops serving, so its last reports are acked and it does not retry.
            CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(),
                    "stop-local-agent", () -> {
                        // Its own thread: closing blocks while the last reports are acked, and the common pool is
                        // shared with whatever else the JVM runs. The phase's timeout (application.conf) bounds it.
                        CompletableFuture<Done> closed = new CompletableFuture<>();
                        Thread closer = new Thread(() -> {
                            try {
                                local.close();
                                closed.complete(Done.getInstance());
                            } catch (RuntimeException e) {
                                closed.completeExceptionally(e);
                            }
                        }, "steward-local-agent-stop");
                        closer.setDaemon(true);
                        closer.start();
                        return closed;
                    });
            return local;
        } catch (Exception e) {
            // The node is useful without its local agent; say why it is missing and carry on.
            log.error("Could not start the local agent", e);
            return null;
        }
    }

    /**
     * Once the node has welcomed the agent (its server id known), records it as the node's local agent: the "local"
     * vantage of checks, their default.
     */
    private void registerAsLocalVantage(StewardNode node) {
        java.util.concurrent.atomic.AtomicReference<org.apache.pekko.actor.Cancellable> poll =
                new java.util.concurrent.atomic.AtomicReference<>();
        poll.set(node.system().scheduler().scheduleAtFixedRate(Duration.ofMillis(200), Duration.ofMillis(500), () -> {
            String serverId = agent.status().serverId();
            if (serverId != null && agent.status().connected()) {
                node.registerLocalVantage(serverId);
                poll.get().cancel();
            }
        }, node.system().executionContext()));
    }

    @Override
    public void close() {
        agent.close();
    }
}
