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
import io.steward.agent.services.ServicesConfig;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    /** The settings in force: a reload changes the live ones ({@link #prepare}). */
    private volatile AgentSettings settings;
    private final ReportSource source;
    private final AgentRuntime runtime;
    private final boolean ownsRuntime;
    private final Spool spool;
    private final Link link;
    private final Object collecting = new Object();
    /** Guards the schedule, the interval and the node's suggestion; never held while collecting. */
    private final Object scheduling = new Object();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ScheduledFuture<?> schedule;
    /** The collection interval in force: the local one, the node's suggestion or the default. */
    private volatile CollectionInterval interval;
    /** The node's last suggestion (welcome or frame) in ms (0: none yet), for a reload that drops the local one. */
    private long suggestedMillis;
    /** When the last collection started ({@link System#nanoTime()}), so a new interval counts from it. */
    private volatile long lastCollectionNanos = System.nanoTime();
    /** Watches the configured services, when there are any. */
    private volatile AgentServices services;
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
        this.interval = CollectionInterval.decide(settings.localInterval(), 0);
    }

    /**
     * Starts an agent with threads of its own: opens the state directory and spool, starts connecting and collects
     * the first report at once, then every {@code settings.interval()} — or, when the settings set no interval of
     * their own ({@link AgentSettings#localInterval()}), every interval the node's welcome suggests from then on.
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
        agent.services = new AgentServices(link, agent.interval.value());
        if (settings.servicesFile() != null) {
            try {
                agent.services.prepare(loadServices(settings.servicesFile()), settings.servicesFile()).commit();
            } catch (RuntimeException e) {
                agent.backups.close();
                throw e;
            }
        }
        agent.checks = new AgentChecks(settings.checks(), link::connected, link::checkResultsDue,
                runtime.scheduler(), "steward-agent/" + AgentVersion.current());
        link.onCheckFrames(agent.checks);
        link.onListProcesses(source::allProcesses);
        link.onSuggestedInterval(agent::nodeSuggests);
        synchronized (agent.scheduling) {
            agent.schedule = runtime.scheduler().scheduleAtFixedRate(agent::collectOnce, 0,
                    agent.interval.value().toMillis(), TimeUnit.MILLISECONDS);
        }
        link.start();
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
                checks.status(),
                interval);
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

    /** The collection interval in force and where it came from. */
    public CollectionInterval interval() {
        return interval;
    }

    /** The settings in force, the live changes of reloads included. */
    public AgentSettings settings() {
        return settings;
    }

    /** The services list in force, or null without a services file. */
    public ServicesConfig services() {
        return services.config();
    }

    /**
     * Prepares a reload's live changes: {@code next} as the settings in force, of which the agent applies the
     * services file ({@code nextServices}, already loaded and checked; null for none), the top-processes count and
     * the local interval (set, changed, or removed: then the node's last suggestion applies); everything else in
     * {@code next} must be as now (a reload plan keeps it so). Nothing changes until
     * {@link Reconfiguration#commit()}.
     *
     * @param servicesChanged whether {@code nextServices} differs from the list in force (else it is left alone)
     * @throws IllegalArgumentException if the services list cannot be used (a unit name systemd would not take)
     */
    public Reconfiguration prepare(AgentSettings next, ServicesConfig nextServices, boolean servicesChanged) {
        requireNonNull(next, "next is null");
        AgentServices.Prepared prepared = servicesChanged ? services.prepare(nextServices, next.servicesFile()) : null;
        return () -> {
            if (closing.get()) {
                return;
            }
            source.topProcesses(next.topProcesses());
            if (prepared != null) {
                prepared.commit();
            }
            settings = next;
            synchronized (scheduling) {
                follow(CollectionInterval.decide(next.localInterval(), suggestedMillis));
            }
        };
    }

    /** A reload's live changes, ready to take effect. */
    @FunctionalInterface
    public interface Reconfiguration {
        void commit();
    }

    /**
     * Stops collecting, waits briefly for acks of reports in flight, closes the socket normally and flushes the
     * spool. Idempotent; unacknowledged reports stay in a disk spool for the next start.
     */
    public CompletableFuture<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return closed;
        }
        synchronized (scheduling) {
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
        services.close();
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

    /** Loads the services file; a bad file stops the start. */
    private static ServicesConfig loadServices(Path file) {
        try {
            return ServicesConfig.load(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the services file: " + e.getMessage(), e);
        }
    }

    /**
     * The node's suggestion, from a welcome or from an {@code interval-suggested} frame while connected (on the link's
     * executor): followed unless the settings set an interval of their own.
     */
    private void nodeSuggests(long millis) {
        synchronized (scheduling) {
            suggestedMillis = millis;
            follow(CollectionInterval.decide(settings.localInterval(), millis));
        }
    }

    /**
     * Collects every {@code next} from now on. The first collection at the new pace comes the shorter of the two
     * intervals after the last one (at once if that is past): a faster interval starts one new interval after the
     * last report, with no burst; a slower one takes effect after one more report at the old pace, which already
     * carries the new interval — the node arms its offline timer by the interval in the latest report, so the longer
     * silence is announced before it begins. No gap is longer than the larger of the two. Services follow; checks
     * run on intervals of their own. Called holding {@link #scheduling}.
     */
    private void follow(CollectionInterval next) {
        CollectionInterval previous = interval;
        interval = next;
        if (next.value().equals(previous.value())) {
            if (next.origin() != previous.origin()) {
                log.debug("Collecting every {} as before, now {}", AgentSettings.format(next.value()), next.reason());
            }
            return;
        }
        log.info("Collecting every {} instead of {}: {}", AgentSettings.format(next.value()),
                AgentSettings.format(previous.value()), next.reason());
        services.interval(next.value());
        if (schedule == null || closing.get()) {
            return;
        }
        schedule.cancel(false);
        long shorter = Math.min(previous.value().toNanos(), next.value().toNanos());
        long firstDelay = Math.max(0, shorter - (System.nanoTime() - lastCollectionNanos));
        schedule = runtime.scheduler().scheduleAtFixedRate(this::collectOnce,
                TimeUnit.NANOSECONDS.toMillis(firstDelay), next.value().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void collectOnce() {
        synchronized (collecting) {
            if (closing.get()) {
                return;
            }
            lastCollectionNanos = System.nanoTime();
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
                spool.append(withInterval(report, interval.value().toMillis()));
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

    /**
     * Reports carry the interval in force when they were collected: the node judges the silence after each report by
     * it, whatever the source put.
     */
    private static MetricsReport withInterval(MetricsReport report, long intervalMillis) {
        if (report.intervalMillis() == intervalMillis) {
            return report;
        }
        return new MetricsReport(report.collectedAt(), intervalMillis, report.host(), report.cpu(), report.memory(),
                report.filesystems(), report.disks(), report.interfaces(), report.processes(),
                report.droppedReports());
    }
}
