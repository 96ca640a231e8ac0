package io.steward.node.ingest;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The agent connections this node hosts that have sent their welcome: how news every connected agent must hear
 * (the suggested interval changed) reaches them. Each node keeps its own and tells only its own connections; every
 * node hears of a settings change and tells its agents. Thread-safe: a connection joins at its welcome and leaves when
 * its actor stops, on the actor's thread; a settings reload tells them from its own. Nothing is written to a socket
 * from here: each connection gets a message and writes on its own actor.
 */
public final class WelcomedConnections {
    private final Set<ActorRef<AgentConnection.Command>> connections = ConcurrentHashMap.newKeySet();

    void joined(ActorRef<AgentConnection.Command> connection) {
        connections.add(requireNonNull(connection, "connection is null"));
    }

    void left(ActorRef<AgentConnection.Command> connection) {
        connections.remove(connection);
    }

    /**
     * The node's suggested agent interval may have changed: each welcomed connection sends its agent the one in force
     * now, if it differs from the one that agent heard last.
     */
    public void agentIntervalChanged() {
        connections.forEach(connection -> connection.tell(new AgentConnection.AgentIntervalChanged()));
    }

    /** How many connections are welcomed now. */
    public int count() {
        return connections.size();
    }
}
