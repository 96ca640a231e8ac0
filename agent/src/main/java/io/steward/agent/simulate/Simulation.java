package io.steward.agent.simulate;

import static java.util.Objects.requireNonNull;

import io.steward.agent.Agent;
import io.steward.agent.AgentRuntime;
import io.steward.agent.AgentSettings;
import io.steward.agent.AgentStatus;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.link.AckLatencies;
import io.steward.agent.link.StateDirectory;
import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N synthetic agents in one process ({@code --simulate N}): each its own connection, sequence, spool (in memory,
 * small) and credential (saved under {@code <state-dir>/sim-0001/...}), all enrolling with the one token. They share
 * one scheduler and one HTTP client, so 2000 agents at 1 s need a handful of threads. Starts are spread out so a
 * large fleet does not hit the node in one burst. Logs a summary line every 10 s.
 */
public final class Simulation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Simulation.class);
    /** Each simulated agent's in-memory spool is capped at this, whatever --spool-max-bytes says. */
    public static final long SPOOL_BYTES_PER_AGENT = 256L << 10;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** Agents start this far apart (at most {@link #MAXIMUM_START_SPREAD} in all). */
    private static final Duration START_GAP = Duration.ofMillis(5);
    private static final Duration MAXIMUM_START_SPREAD = Duration.ofSeconds(10);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(15);

    private final AgentSettings base;
    private final AgentRuntime runtime;
    private final AckLatencies ackLatencies;
    /** Starts agents; separate from {@link #progress} so a slow start (disk) never delays the summary line. */
    private final ScheduledExecutorService starter;
    private final ScheduledExecutorService progress;
    private final Queue<Agent> agents = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<NodeMessage.Error> enrollmentRejected = new CompletableFuture<>();
    private volatile boolean closed;
    private long previousSent;
    private long previousAcked;
    private long previousNanos = System.nanoTime();

    private Simulation(AgentSettings base) {
        this.base = base;
        this.runtime = AgentRuntime.create(Math.max(2, Runtime.getRuntime().availableProcessors()), base.hubs(),
                base.trust());
        this.ackLatencies = runtime.timeAcks();
        this.starter = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "steward-sim-start"));
        this.progress =
                Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "steward-sim-progress"));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The name (host name and state subdirectory) of simulated agent {@code number}, counting from 1. */
    public static String agentName(int number) {
        return String.format("sim-%04d", number);
    }

    /** Starts {@code settings.simulatedAgents()} agents, spread over a few seconds; returns at once. */
    public static Simulation start(AgentSettings settings) {
        requireNonNull(settings, "settings is null");
        if (settings.simulatedAgents() < 1) {
            throw new IllegalArgumentException("simulatedAgents must be at least 1");
        }
        Simulation simulation = new Simulation(settings);
        int count = settings.simulatedAgents();
        long spreadMillis = Math.min(MAXIMUM_START_SPREAD.toMillis(), START_GAP.toMillis() * count);
        for (int number = 1; number <= count; number++) {
            int agentNumber = number;
            long delay = count == 1 ? 0 : spreadMillis * (number - 1) / count;
            simulation.starter.schedule(() -> simulation.startAgent(agentNumber), delay, TimeUnit.MILLISECONDS);
        }
        simulation.progress.scheduleWithFixedDelay(simulation::logProgress, PROGRESS_EVERY.toMillis(),
                PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Simulating [{}] agents against {} every [{}], state under [{}]", count, settings.hubs(),
                AgentSettings.format(settings.interval()), settings.stateDirectory().toAbsolutePath().normalize());
        return simulation;
    }

    /** The settings of simulated agent {@code number}: its own state directory, host name and machine id. */
    static AgentSettings agentSettings(AgentSettings base, int number) throws IOException {
        String name = agentName(number);
        Path directory = base.stateDirectory().resolve(name);
        String machineId = StateDirectory.open(directory).generatedMachineId();
        return base.toBuilder()
                .simulatedAgents(0)
                // Synthetic servers are no vantage points: they refuse every check instead of probing N times over.
                .checks(CheckOptions.OFF)
                .stateDirectory(directory)
                .hostname(name)
                .machineId(machineId)
                .inMemorySpool(true)
                .spoolMaxBytes(Math.min(base.spoolMaxBytes(), SPOOL_BYTES_PER_AGENT))
                .build();
    }

    private synchronized void startAgent(int number) {
        if (closed) {
            return;
        }
        try {
            AgentSettings settings = agentSettings(base, number);
            Agent agent = Agent.start(settings, new SimulatedSource(settings.hostname(), number), runtime);
            agents.add(agent);
            agent.enrollmentRejected().thenAccept(enrollmentRejected::complete);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            log.error("Cannot start simulated agent [{}]: {}", agentName(number), e.getMessage());
        }
    }

    /** The agents started so far. */
    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    /** Completes when the node rejects the shared enrollment token for any agent without a saved credential. */
    public CompletableFuture<NodeMessage.Error> enrollmentRejected() {
        return enrollmentRejected;
    }

    /** Totals over all agents. */
    public record Summary(int agents, int connected, long sent, long acked, long spooled, long dropped,
            String exampleError) {}

    public Summary summary() {
        int connected = 0;
        long sent = 0;
        long acked = 0;
        long spooled = 0;
        long dropped = 0;
        String exampleError = null;
        for (Agent agent : agents) {
            AgentStatus status = agent.status();
            if (status.connected()) {
                connected++;
            } else if (exampleError == null) {
                exampleError = status.lastError();
            }
            sent += status.reportsSent();
            acked += status.reportsAcked();
            spooled += status.spooledCount();
            dropped += status.droppedCount();
        }
        return new Summary(agents.size(), connected, sent, acked, spooled, dropped, exampleError);
    }

    private synchronized void logProgress() {
        Summary summary = summary();
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - previousNanos) / 1e9);
        String line = String.format("%d/%d connected (of %d), %.1f reports/s sent, %.1f/s acked, %d spooled, "
                        + "%d dropped", summary.connected(), summary.agents(), base.simulatedAgents(),
                (summary.sent() - previousSent) / seconds, (summary.acked() - previousAcked) / seconds,
                summary.spooled(), summary.dropped());
        AckLatencies.Window latency = ackLatencies.drain();
        if (latency.count() > 0) {
            line += String.format(", ack p50 %.1f ms, p99 %.1f ms", latency.p50Millis(), latency.p99Millis());
        }
        if (summary.exampleError() != null) {
            line += "; e.g. " + summary.exampleError();
        }
        log.info(line);
        previousSent = summary.sent();
        previousAcked = summary.acked();
        previousNanos = now;
    }

    /** Closes every agent (in parallel, normal closes), then the shared threads. */
    @Override
    public void close() {
        synchronized (this) {
            // After this no agent starts (startAgent holds the same lock), so every started one is closed below.
            if (closed) {
                return;
            }
            closed = true;
        }
        starter.shutdownNow();
        progress.shutdownNow();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Agent agent : agents) {
            closing.add(agent.closeAsync());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Not every simulated agent closed in time: {}", e.toString());
        }
        runtime.close();
        Summary summary = summary();
        log.info("Simulation stopped: {} agents, {} reports sent, {} acked, {} dropped", summary.agents(),
                summary.sent(), summary.acked(), summary.dropped());
    }
}
