package io.steward.agent;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.Backups;
import io.steward.agent.backup.BackupsConfig;
import io.steward.agent.backup.DisabledBackups;
import io.steward.agent.backup.EnabledBackups;
import io.steward.agent.checks.AgentChecks;
import io.steward.agent.collect.HostName;
import io.steward.agent.link.DiskSpool;
import io.steward.agent.link.Link;
import io.steward.agent.link.LinkSettings;
import io.steward.agent.link.MemorySpool;
import io.steward.agent.link.Spool;
import io.steward.agent.link.SpoolBounds;
import io.steward.agent.link.StateDirectory;
import io.steward.agent.services.CommandRunner;
import io.steward.agent.services.ProcessCommandRunner;
import io.steward.agent.services.ServiceBackend;
import io.steward.agent.services.ServiceMonitor;
import io.steward.agent.services.ServicesConfig;
import io.steward.agent.services.process.SupervisedProcesses;
import io.steward.agent.services.systemd.SystemdBackend;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: a collection loop that appends a report to the spool every interval, and a link that streams the
 * spool to the node. The two are decoupled: collection goes on while the node is unreachable, which is what fills
 * the spool, and the link drains it in order when the node is back. Beside them run the services it watches, the
 * backups it allows and the checks a node assigns it (whose results are live data, sent only while connected).
 *
 * <p>Embeddable: the node runs one for {@code --local-agent}, tests run several in one JVM.
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentSettings.builder()
 *         .hub(URI.create("ws://127.0.0.1:8080/ws/agent")).token(token)
 *         .interval(Duration.ofSeconds(1)).stateDirectory(dir).build(), new OshiCollector())) {
 *     ... agent.status() ...
 * }
 * }</pre>
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** How long {@link #close()} waits for acks of reports already sent. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** Upper bound on a whole close, so a stuck socket cannot hang a shutdown. */
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private final AgentSettings settings;
    private final ReportSource source;
    private final AgentRuntime runtime;
    private final boolean ownsRuntime;
    private final Spool spool;
    private final Link link;
    private final Object collecting = new Object();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile ScheduledFuture<?> schedule;
    /** Watches the configured services, when there are any. */
    private volatile ServiceMonitor services;
    /** Runs the node's backup commands, or refuses them all without a backups file. */
    private volatile Backups backups;
    /** Runs the checks the node assigns, or refuses them all with checks off. */
    private volatile AgentChecks checks;
    private boolean collectionFailing;
    private boolean spoolFailing;

    private Agent(AgentSettings settings, ReportSource source, AgentRuntime runtime, boolean ownsRuntime, Spool spool,
            Link link) {
        this.settings = settings;
        this.source = source;
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.spool = spool;
        this.link = link;
    }

    /**
     * Starts an agent with threads of its own: opens the state directory and spool, starts connecting and collects
     * the first report at once, then every {@code settings.interval()}.
     *
     * @throws UncheckedIOException if the state directory or spool cannot be used
     * @throws IllegalStateException if there is neither an enrollment token nor a saved credential
     */
    public static Agent start(AgentSettings settings, ReportSource source) {
        requireNonNull(settings, "settings is null");
        AgentRuntime runtime = AgentRuntime.create(2, settings.hubs(), settings.trust());
        try {
            return start(settings, source, runtime, true);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Starts an agent on a shared runtime (simulations); the caller closes the runtime after its agents. */
    public static Agent start(AgentSettings settings, ReportSource source, AgentRuntime runtime) {
        return start(settings, source, runtime, false);
    }

    private static Agent start(AgentSettings settings, ReportSource source, AgentRuntime runtime,
            boolean ownsRuntime) {
        requireNonNull(settings, "settings is null");
        requireNonNull(source, "source is null");
        requireNonNull(runtime, "runtime is null");
        StateDirectory state;
        String machineId;
        boolean hasCredential;
        try {
            state = StateDirectory.open(settings.stateDirectory());
            machineId = settings.machineId() != null ? settings.machineId() : state.machineId();
            hasCredential = state.credential().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the state directory " + settings.stateDirectory() + ": "
                    + e.getMessage(), e);
        }
        if (!hasCredential && settings.token() == null) {
            throw new IllegalStateException("no enrollment token given and no credential saved in "
                    + state.path() + ": pass --token (or STEWARD_TOKEN) for the first start");
        }
        SpoolBounds bounds = new SpoolBounds(settings.spoolMaxAge(), settings.spoolMaxBytes());
        Spool spool;
        try {
            spool = settings.inMemorySpool() ? new MemorySpool(bounds) : DiskSpool.open(settings.spoolDirectory(),
                    bounds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool in " + settings.spoolDirectory() + ": "
                    + e.getMessage(), e);
        }
        String hostname = settings.hostname() != null ? settings.hostname() : HostName.local();
        Link link = new Link(new LinkSettings(
                settings.hubs(),
                settings.rememberHubs(),
                AgentVersion.current(),
                hostname,
                machineId,
                settings.token(),
                settings.reconnectBackoff(),
                settings.window(),
                settings.connectTimeout(),
                settings.handshakeTimeout(),
                settings.ackTimeout(),
                settings.healthyAfter(),
                settings.credentialRotation()), spool, state, runtime.httpClient(), runtime.scheduler(),
                runtime.ackLatencies(), runtime.trustedPins());
        Agent agent = new Agent(settings, source, runtime, ownsRuntime, spool, link);
        agent.backups = startBackups(settings, hostname, link);
        link.onBackupFrames(agent.backups);
        if (settings.servicesFile() != null) {
            try {
                agent.services = startServices(settings, link);
            } catch (RuntimeException e) {
                agent.backups.close();
                throw e;
            }
        }
        agent.checks = new AgentChecks(settings.checks(), link::connected, link::checkResultsDue,
                runtime.scheduler(), "steward-agent/" + AgentVersion.current());
        link.onCheckFrames(agent.checks);
        link.onListProcesses(source::allProcesses);
        link.start();
        agent.schedule = runtime.scheduler().scheduleAtFixedRate(agent::collectOnce, 0,
                settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        log.debug("Agent started: {}", settings);
        return agent;
    }

    /** What the agent is doing now. */
    public AgentStatus status() {
        return new AgentStatus(
                link.connected(),
                link.serverId(),
                link.lastSentSequence(),
                link.lastAckedSequence(),
                spool.pendingCount(),
                spool.droppedCount(),
                link.lastError(),
                link.hub(),
                link.reportsSent(),
                link.reportsAcked(),
                checks.status());
    }

    /**
     * Completes with the node's error if it rejected the enrollment token (unauthorized or expired) while this
     * agent has no saved credential. The agent itself keeps retrying at the maximum backoff (an embedder may want
     * that); the command line exits instead, since nothing will change without a new token.
     */
    public CompletionStage<NodeMessage.Error> enrollmentRejected() {
        return link.enrollmentRejected();
    }

    /** Runs one collection cycle now, besides the schedule (tests, diagnostics). Ignored once closing. */
    public void collectNow() {
        collectOnce();
    }

    public AgentSettings settings() {
        return settings;
    }

    /**
     * Stops collecting, waits briefly for acks of reports in flight, closes the socket normally and flushes the
     * spool. Idempotent; unacknowledged reports stay in a disk spool for the next start.
     */
    public CompletableFuture<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return closed;
        }
        ScheduledFuture<?> running = schedule;
        if (running != null) {
            running.cancel(false);
        }
        ServiceMonitor monitor = services;
        if (monitor != null) {
            monitor.close();
        }
        // Before the link stops: a running backup records its "interrupted" result, sent after the next start.
        backups.close();
        checks.close();
        synchronized (collecting) {
            // Waits for a collection in progress, so nothing is appended after the spool closes.
        }
        link.stop(CLOSE_GRACE)
                .orTimeout(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("The connection did not close in time; closing anyway");
                    }
                    try {
                        spool.close();
                    } catch (IOException | RuntimeException e) {
                        log.error("Cannot flush the spool", e);
                    }
                    if (ownsRuntime) {
                        runtime.close();
                    }
                    closed.complete(null);
                });
        return closed;
    }

    @Override
    public void close() {
        try {
            closeAsync().get(CLOSE_LIMIT.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Agent did not close cleanly: {}", e.toString());
        }
    }

    /**
     * Backups as the settings allow them: none without a backups file; with one, the agent's key (made on first
     * use) and the results still waiting for the node. A bad file or an unusable state directory stops the start.
     */
    private static Backups startBackups(AgentSettings settings, String hostname, Link link) {
        if (settings.backupsFile() == null) {
            return new DisabledBackups(link::sendLive, Clock.systemUTC());
        }
        BackupsConfig config;
        try {
            config = BackupsConfig.load(settings.backupsFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the backups file: " + e.getMessage(), e);
        }
        try {
            return EnabledBackups.start(config, settings.stateDirectory(), hostname, AgentVersion.current(),
                    link::sendLive, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up backups in " + settings.stateDirectory() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up backups", e);
        }
    }

    /** Loads the services file and starts checking at the report interval; a bad file stops the start. */
    private static ServiceMonitor startServices(AgentSettings settings, Link link) {
        ServicesConfig config;
        try {
            config = ServicesConfig.load(settings.servicesFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the services file: " + e.getMessage(), e);
        }
        CommandRunner runner = new ProcessCommandRunner();
        List<ServiceBackend> backends = new ArrayList<>();
        if (!config.systemd().isEmpty() || config.discoverSystemd()) {
            // Below the node's command timeout (45 s), so the node hears the real outcome, not a timeout.
            backends.add(new SystemdBackend(config.systemd(), config.discoverSystemd(), runner,
                    Duration.ofSeconds(30)));
        }
        if (!config.processes().isEmpty()) {
            backends.add(new SupervisedProcesses(config.processes(), runner));
        }
        ServiceMonitor monitor = new ServiceMonitor(backends, link::sendLive);
        link.onServiceCommand(monitor::handle);
        monitor.start(settings.interval());
        log.info("Watching [{}] systemd units{} and [{}] supervised processes from [{}]", config.systemd().size(),
                config.discoverSystemd() ? " (and discovering the rest)" : "", config.processes().size(),
                settings.servicesFile());
        return monitor;
    }

    private void collectOnce() {
        synchronized (collecting) {
            if (closing.get()) {
                return;
            }
            MetricsReport report;
            try {
                report = source.collect();
            } catch (RuntimeException | LinkageError e) {
                if (!collectionFailing) {
                    log.warn("Collection failed; skipping this cycle (further failures are logged at debug)", e);
                    collectionFailing = true;
                } else {
                    log.debug("Collection failed again: {}", e.toString());
                }
                return;
            }
            if (report == null) {
                return;
            }
            if (collectionFailing) {
                log.info("Collection works again");
                collectionFailing = false;
            }
            try {
                spool.append(withInterval(report, settings.interval().toMillis()));
                spoolFailing = false;
            } catch (IOException | RuntimeException e) {
                if (!spoolFailing) {
                    log.error("Cannot write the report to the spool in [{}]; it is lost", settings.spoolDirectory(),
                            e);
                    spoolFailing = true;
                }
                return;
            }
            link.reportAvailable();
        }
    }

    /** Reports carry the agent's configured interval: the node judges silence by it, whatever the source put. */
    private static MetricsReport withInterval(MetricsReport report, long intervalMillis) {
        if (report.intervalMillis() == intervalMillis) {
            return report;
        }
        return new MetricsReport(report.collectedAt(), intervalMillis, report.host(), report.cpu(), report.memory(),
                report.filesystems(), report.disks(), report.interfaces(), report.processes(),
                report.droppedReports());
    }
}
