package io.steward.node.testing;

import static io.steward.core.testing.Eventually.await;

import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.simulate.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated agents (the agent's own {@code --simulate} mode: real WebSocket connections, sequences, in-memory spools
 * and enrollment) spread over a {@link ClusterRig}: each node gets an equal share whose hub list starts with that
 * node and names every member, as agents enrolled through different nodes have.
 */
public final class SimulatedFleet implements AutoCloseable {
    private final List<Simulation> simulations = new ArrayList<>();

    private SimulatedFleet() {
    }

    /** Starts {@code perNode} agents for every node of {@code rig}, reporting every {@code interval}. */
    public static SimulatedFleet start(ClusterRig rig, int perNode, Duration interval, Path stateDirectory) {
        SimulatedFleet fleet = new SimulatedFleet();
        ApiClient admin = rig.admin(0);
        for (int node = 0; node < rig.nodes().size(); node++) {
            String token = admin.post("/api/enrollment-tokens", "{\"maxUses\":" + perNode + "}").json()
                    .get("token").asText();
            fleet.simulations.add(Simulation.start(AgentSettings.builder()
                    .hubs(rig.hubsFrom(node))
                    .token(token)
                    .interval(interval)
                    .stateDirectory(stateDirectory.resolve("fleet-" + (node + 1)))
                    .simulatedAgents(perNode)
                    .build()));
        }
        return fleet;
    }

    /** The agents enrolled through node {@code node} (its hub first in their lists), in a stable order. */
    public List<Agent> agentsOf(int node) {
        return simulations.get(node).agents();
    }

    /** Every agent, in a stable order. */
    public List<Agent> agents() {
        List<Agent> agents = new ArrayList<>();
        simulations.forEach(simulation -> agents.addAll(simulation.agents()));
        return agents;
    }

    /** Waits until all {@code expected} agents are enrolled and have had a report acknowledged. */
    public void awaitReporting(int expected, Duration limit) {
        await(limit, expected + " simulated agents reporting", () -> {
            List<Agent> agents = agents();
            return agents.size() == expected && agents.stream()
                    .allMatch(agent -> agent.status().lastAckedSequence() > 0) ? true : null;
        });
    }

    /** Each agent's last acknowledged sequence now. */
    public Map<Agent, Long> acked() {
        Map<Agent, Long> acked = new HashMap<>();
        agents().forEach(agent -> acked.put(agent, agent.status().lastAckedSequence()));
        return acked;
    }

    /**
     * Watches every agent at once until each has a report acknowledged beyond {@code before}; answers, per agent, how
     * long after {@code since} (System.nanoTime) that was first seen.
     */
    public Map<Agent, Duration> awaitAckedAgain(Map<Agent, Long> before, long since, Duration limit) {
        Map<Agent, Duration> after = new HashMap<>();
        await(limit, "every agent acknowledged again", () -> {
            Duration now = Duration.ofNanos(System.nanoTime() - since);
            before.forEach((agent, acked) -> {
                if (!after.containsKey(agent) && agent.status().lastAckedSequence() > acked) {
                    after.put(agent, now);
                }
            });
            return after.size() == before.size() ? true : null;
        });
        return after;
    }

    @Override
    public void close() {
        simulations.forEach(Simulation::close);
    }
}
