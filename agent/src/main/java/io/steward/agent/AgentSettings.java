package io.steward.agent;

import static java.util.Objects.requireNonNull;

import io.steward.agent.checks.CheckOptions;
import io.steward.agent.link.HubTrust;
import io.steward.core.retry.Backoff;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything an agent needs to run, validated once. Built by {@link #builder()} in code, or from the command line and
 * a config file by {@code io.steward.agent.config.SettingsParser}. Validation messages name the setting as the
 * command line and the config file do ({@code interval}, {@code spool-max-bytes}, ...).
 *
 * @param hubs the agent endpoints of the cluster's nodes, {@code ws://} or {@code wss://}, e.g.
 *     {@code wss://10.0.0.5:8080/ws/agent}: tried in this order, the next one at once when a connection is lost;
 *     1 .. {@value #MAXIMUM_HUBS}, duplicates dropped
 * @param token the enrollment token; may be null when the state directory holds a saved credential (which wins)
 * @param interval how often to collect, 1 s .. 60 s: the interval set locally, or {@link #DEFAULT_INTERVAL} when none
 *     is (then the interval a node suggests in its welcome replaces it, see {@link CollectionInterval})
 * @param intervalSetLocally whether the command line, the config file or the embedder set {@code interval}: an
 *     agent's own interval wins over the node's suggestion
 * @param stateDirectory where the credential, server id, machine id and spool live
 * @param spoolMaxAge unacknowledged reports older than this are dropped, oldest first
 * @param spoolMaxBytes the spool's size bound; above it the oldest reports are dropped
 * @param simulatedAgents 0 for a real agent; N runs N synthetic agents in this process instead
 * @param hostname the name announced in the hello, or null to use this machine's host name
 * @param machineId the stable machine identifier announced in the hello, or null to read {@code /etc/machine-id}
 *     (falling back to a UUID saved in the state directory)
 * @param inMemorySpool keep the spool in memory instead of on disk (simulations: nothing survives a restart)
 * @param reconnectBackoff waits between connection attempts (exponential with full jitter)
 * @param window how many reports may be sent ahead of the oldest unacknowledged one
 * @param connectTimeout TCP + WebSocket upgrade time limit
 * @param handshakeTimeout how long to wait for the node's welcome after the hello
 * @param ackTimeout a connection whose oldest in-flight report waits longer than this for its ack is re-established
 * @param healthyAfter a connection open this long resets the reconnect attempt counter
 * @param servicesFile the agent's own list of services to watch and control (JSON), or null for none
 * @param backupsFile what the agent lets a node back up and where to (JSON allow-lists), or null: no backups at all
 * @param topProcesses how many processes each report lists by CPU and by memory (each), 1 .. 100
 * @param credentialRotation a saved credential older than this is exchanged for a new one after the next welcome
 * @param trust which node certificates a {@code wss://} hub may present; a {@code ws://} hub takes only the default
 * @param checks whether and how this agent runs the URL/TCP/TLS/DNS checks a node assigns
 * @param rememberHubs whether the hubs a welcome names are saved in the state directory and tried after the
 *     configured ones (off for an agent that must stay with one node, such as a node's own local agent)
 */
public record AgentSettings(
        List<URI> hubs,
        String token,
        Duration interval,
        boolean intervalSetLocally,
        Path stateDirectory,
        Duration spoolMaxAge,
        long spoolMaxBytes,
        int simulatedAgents,
        String hostname,
        String machineId,
        boolean inMemorySpool,
        Backoff reconnectBackoff,
        int window,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration ackTimeout,
        Duration healthyAfter,
        Path servicesFile,
        Path backupsFile,
        int topProcesses,
        Duration credentialRotation,
        HubTrust trust,
        CheckOptions checks,
        boolean rememberHubs) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CREDENTIAL_ROTATION = Duration.ofDays(30);
    public static final Duration MINIMUM_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAXIMUM_INTERVAL = Duration.ofSeconds(60);
    public static final Path DEFAULT_STATE_DIRECTORY = Path.of("steward-agent-state");
    public static final Duration DEFAULT_SPOOL_MAX_AGE = Duration.ofHours(24);
    public static final Duration MINIMUM_SPOOL_MAX_AGE = Duration.ofMinutes(5);
    public static final Duration MAXIMUM_SPOOL_MAX_AGE = Duration.ofDays(30);
    public static final long DEFAULT_SPOOL_MAX_BYTES = 100L << 20;
    public static final long MINIMUM_SPOOL_MAX_BYTES = 64L << 10;
    public static final long MAXIMUM_SPOOL_MAX_BYTES = 1L << 40;
    public static final int MAXIMUM_SIMULATED_AGENTS = 10_000;
    /** More than a cluster of this size would need; the bound keeps a round of failed attempts short. */
    public static final int MAXIMUM_HUBS = 16;
    public static final Backoff DEFAULT_RECONNECT_BACKOFF =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);
    public static final int DEFAULT_WINDOW = 128;
    public static final int MAXIMUM_WINDOW = 4096;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A hub that accepts the connection but never answers (a frozen node: its kernel still completes the TCP
     * handshake) is left after this, for the next hub; longer than a node lets an attach wait for a failover (20 s).
     */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(25);
    /**
     * A connection whose oldest report waits this long is left for the next hub: long enough for a failover to move
     * the server's entity (~20 s), short enough that an agent of a frozen node reconnects elsewhere before its server
     * would be called offline (3 missed reports plus the failover grace: 45 s at the default interval).
     */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_HEALTHY_AFTER = Duration.ofSeconds(10);
    public static final int DEFAULT_TOP_PROCESSES = 10;
    public static final int MINIMUM_TOP_PROCESSES = 1;
    /** A report stays a few KB: each listed process is ~100 bytes of JSON, twice (by CPU, by memory). */
    public static final int MAXIMUM_TOP_PROCESSES = 100;

    public AgentSettings {
        requireNonNull(hubs, "hubs is null");
        requireNonNull(interval, "interval is null");
        requireNonNull(stateDirectory, "state-dir is null");
        requireNonNull(spoolMaxAge, "spool-max-age is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(handshakeTimeout, "handshakeTimeout is null");
        requireNonNull(ackTimeout, "ackTimeout is null");
        requireNonNull(healthyAfter, "healthyAfter is null");
        requireNonNull(credentialRotation, "credentialRotation is null");
        requireNonNull(trust, "trust is null");
        requireNonNull(checks, "checks is null");
        hubs = distinct(hubs);
        if (hubs.isEmpty()) {
            throw new IllegalArgumentException("hub is required, e.g. ws://10.0.0.5:8080/ws/agent");
        }
        if (hubs.size() > MAXIMUM_HUBS) {
            throw new IllegalArgumentException("hub lists " + hubs.size() + " hubs, at most " + MAXIMUM_HUBS);
        }
        for (URI hub : hubs) {
            checkHub("hub", hub);
        }
        checkTrust(hubs, trust);
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        checkBetween("interval", interval, MINIMUM_INTERVAL, MAXIMUM_INTERVAL, format(interval));
        checkBetween("spool-max-age", spoolMaxAge, MINIMUM_SPOOL_MAX_AGE, MAXIMUM_SPOOL_MAX_AGE, format(spoolMaxAge));
        checkBytesBetween("spool-max-bytes", spoolMaxBytes, formatBytes(spoolMaxBytes));
        if (simulatedAgents < 0 || simulatedAgents > MAXIMUM_SIMULATED_AGENTS) {
            throw new IllegalArgumentException("simulate must be between 1 and " + MAXIMUM_SIMULATED_AGENTS
                    + ", got " + simulatedAgents);
        }
        if (hostname != null && (hostname.isBlank() || hostname.length() > 255)) {
            throw new IllegalArgumentException("hostname must be 1..255 characters");
        }
        if (machineId != null && machineId.isBlank()) {
            throw new IllegalArgumentException("machineId must not be blank");
        }
        if (window < 1 || window > MAXIMUM_WINDOW) {
            throw new IllegalArgumentException("window must be between 1 and " + MAXIMUM_WINDOW + ", got " + window);
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("ackTimeout", ackTimeout);
        requirePositive("healthyAfter", healthyAfter);
        requirePositive("credentialRotation", credentialRotation);
        checkTopProcesses("top-processes", topProcesses, Integer.toString(topProcesses));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first hub: where the agent connects first. */
    public URI hub() {
        return hubs.get(0);
    }

    /** A builder holding these settings, to derive variants (the simulator derives one per synthetic agent). */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .hubs(hubs)
                .token(token)
                .stateDirectory(stateDirectory)
                .spoolMaxAge(spoolMaxAge)
                .spoolMaxBytes(spoolMaxBytes)
                .simulatedAgents(simulatedAgents)
                .hostname(hostname)
                .machineId(machineId)
                .inMemorySpool(inMemorySpool)
                .reconnectBackoff(reconnectBackoff)
                .window(window)
                .connectTimeout(connectTimeout)
                .handshakeTimeout(handshakeTimeout)
                .ackTimeout(ackTimeout)
                .healthyAfter(healthyAfter)
                .servicesFile(servicesFile)
                .backupsFile(backupsFile)
                .topProcesses(topProcesses)
                .credentialRotation(credentialRotation)
                .trust(trust)
                .checks(checks)
                .rememberHubs(rememberHubs);
        return intervalSetLocally ? builder.interval(interval) : builder.noLocalInterval();
    }

    /** The interval set locally (command line, config file, embedder), or empty: a node's suggestion applies. */
    public Optional<Duration> localInterval() {
        return intervalSetLocally ? Optional.of(interval) : Optional.empty();
    }

    /** The spool's directory inside the state directory. */
    public Path spoolDirectory() {
        return stateDirectory.resolve("spool");
    }

    @Override
    public String toString() {
        // Never print the token.
        return "AgentSettings[hubs=" + hubs + ", token=" + (token == null ? "none" : "set") + ", interval="
                + format(interval) + (intervalSetLocally ? "" : " (not set locally)") + ", stateDirectory=" + stateDirectory + ", spoolMaxAge=" + format(spoolMaxAge)
                + ", spoolMaxBytes=" + formatBytes(spoolMaxBytes) + ", simulatedAgents=" + simulatedAgents
                + ", hostname=" + hostname + ", machineId=" + machineId + ", inMemorySpool=" + inMemorySpool
                + ", window=" + window + ", topProcesses=" + topProcesses + ", servicesFile=" + servicesFile
                + ", backupsFile=" + backupsFile + ", trust=" + trust + ", checks=" + checks + ", rememberHubs="
                + rememberHubs + "]";
    }

    /** Checks a hub address; {@code name} is how the caller's user knows the setting (e.g. {@code --hub}). */
    public static void checkHub(String name, URI hub) {
        requireNonNull(hub, name + " is null");
        String scheme = hub.getScheme() == null ? "" : hub.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException(name + " must be a ws:// or wss:// address, e.g. "
                    + "ws://10.0.0.5:8080/ws/agent, got " + hub);
        }
        if (hub.getHost() == null || hub.getHost().isBlank()) {
            throw new IllegalArgumentException(name + " has no host: " + hub);
        }
    }

    /**
     * A pin or CA file is a promise of TLS: with a {@code ws://} hub it would be silently unused, so it is refused.
     */
    public static void checkTrust(URI hub, HubTrust trust) {
        checkTrust(List.of(hub), trust);
    }

    /**
     * As {@link #checkTrust(URI, HubTrust)} for a list: the trust applies to each {@code wss://} hub, so it needs at
     * least one (a {@code ws://} hub beside it is the user's choice, written out).
     */
    public static void checkTrust(List<URI> hubs, HubTrust trust) {
        if (!anyTls(hubs) && !(trust instanceof HubTrust.PublicAuthorities)) {
            String option = trust instanceof HubTrust.Pinned ? "pin-sha256" : "ca-file";
            throw new IllegalArgumentException(option + " needs a wss:// hub, got "
                    + hubs.stream().map(URI::toString).collect(Collectors.joining(", ")));
        }
    }

    /** Whether any of {@code hubs} is {@code wss://}: then the agent needs TLS. */
    public static boolean anyTls(List<URI> hubs) {
        return hubs.stream().anyMatch(hub -> "wss".equalsIgnoreCase(hub.getScheme()));
    }

    /** The hubs in their order, each once (null entries are refused). */
    private static List<URI> distinct(List<URI> hubs) {
        List<URI> copy = new ArrayList<>(hubs.size());
        for (URI hub : hubs) {
            copy.add(requireNonNull(hub, "hub is null"));
        }
        return List.copyOf(new LinkedHashSet<>(copy));
    }

    /** Checks a duration range; {@code shown} is the value as the user wrote it. */
    public static void checkBetween(String name, Duration value, Duration minimum, Duration maximum, String shown) {
        if (value.compareTo(minimum) < 0 || value.compareTo(maximum) > 0) {
            throw new IllegalArgumentException(name + " must be between " + format(minimum) + " and "
                    + format(maximum) + ", got " + shown);
        }
    }

    /** Checks the spool size range; {@code shown} is the value as the user wrote it. */
    public static void checkBytesBetween(String name, long value, String shown) {
        if (value < MINIMUM_SPOOL_MAX_BYTES || value > MAXIMUM_SPOOL_MAX_BYTES) {
            throw new IllegalArgumentException(name + " must be between " + formatBytes(MINIMUM_SPOOL_MAX_BYTES)
                    + " and " + formatBytes(MAXIMUM_SPOOL_MAX_BYTES) + ", got " + shown);
        }
    }

    /** Checks how many top processes a report lists; {@code shown} is the value as the user wrote it. */
    public static void checkTopProcesses(String name, int value, String shown) {
        if (value < MINIMUM_TOP_PROCESSES || value > MAXIMUM_TOP_PROCESSES) {
            throw new IllegalArgumentException(name + " must be between " + MINIMUM_TOP_PROCESSES + " and "
                    + MAXIMUM_TOP_PROCESSES + ", got " + shown);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + format(value));
        }
    }

    /** A duration in the units the command line accepts: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 24h}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis <= 60_000 && millis % 1000 == 0) {
            return millis / 1000 + "s"; // "60s" reads better than "1m" next to "1s"
        }
        if (millis % 86_400_000 == 0 && millis != 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** A byte count in the units the command line accepts (binary multiples). */
    public static String formatBytes(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }

    /** Builds settings with the defaults above; only {@code hub} (or {@code hubs}) is required. */
    public static final class Builder {
        private List<URI> hubs = List.of();
        private String token;
        private Duration interval = DEFAULT_INTERVAL;
        private boolean intervalSetLocally;
        private Path stateDirectory = DEFAULT_STATE_DIRECTORY;
        private Path servicesFile;
        private Path backupsFile;
        private Duration spoolMaxAge = DEFAULT_SPOOL_MAX_AGE;
        private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
        private int simulatedAgents;
        private String hostname;
        private String machineId;
        private boolean inMemorySpool;
        private Backoff reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
        private int window = DEFAULT_WINDOW;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private Duration healthyAfter = DEFAULT_HEALTHY_AFTER;
        private int topProcesses = DEFAULT_TOP_PROCESSES;
        private Duration credentialRotation = DEFAULT_CREDENTIAL_ROTATION;
        private HubTrust trust = new HubTrust.PublicAuthorities();
        private CheckOptions checks = CheckOptions.DEFAULT;
        private boolean rememberHubs = true;

        private Builder() {}

        /** One hub (replacing any set before). */
        public Builder hub(URI hub) {
            this.hubs = hub == null ? List.of() : List.of(hub);
            return this;
        }

        /** The hubs in the order to try them (replacing any set before). */
        public Builder hubs(List<URI> hubs) {
            this.hubs = hubs == null ? List.of() : new ArrayList<>(hubs);
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** An interval of this agent's own: it wins over the interval a node suggests. */
        public Builder interval(Duration interval) {
            this.interval = interval;
            this.intervalSetLocally = true;
            return this;
        }

        /** No interval of this agent's own (as without {@code --interval}): the default until a node suggests one. */
        public Builder noLocalInterval() {
            this.interval = DEFAULT_INTERVAL;
            this.intervalSetLocally = false;
            return this;
        }

        public Builder stateDirectory(Path stateDirectory) {
            this.stateDirectory = stateDirectory;
            return this;
        }

        public Builder spoolMaxAge(Duration spoolMaxAge) {
            this.spoolMaxAge = spoolMaxAge;
            return this;
        }

        public Builder spoolMaxBytes(long spoolMaxBytes) {
            this.spoolMaxBytes = spoolMaxBytes;
            return this;
        }

        public Builder simulatedAgents(int simulatedAgents) {
            this.simulatedAgents = simulatedAgents;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder machineId(String machineId) {
            this.machineId = machineId;
            return this;
        }

        public Builder inMemorySpool(boolean inMemorySpool) {
            this.inMemorySpool = inMemorySpool;
            return this;
        }

        public Builder reconnectBackoff(Backoff reconnectBackoff) {
            this.reconnectBackoff = reconnectBackoff;
            return this;
        }

        public Builder window(int window) {
            this.window = window;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder healthyAfter(Duration healthyAfter) {
            this.healthyAfter = healthyAfter;
            return this;
        }

        public Builder servicesFile(Path servicesFile) {
            this.servicesFile = servicesFile;
            return this;
        }

        public Builder backupsFile(Path backupsFile) {
            this.backupsFile = backupsFile;
            return this;
        }

        public Builder topProcesses(int topProcesses) {
            this.topProcesses = topProcesses;
            return this;
        }

        public Builder credentialRotation(Duration credentialRotation) {
            this.credentialRotation = credentialRotation;
            return this;
        }

        public Builder trust(HubTrust trust) {
            this.trust = trust;
            return this;
        }

        public Builder checks(CheckOptions checks) {
            this.checks = checks;
            return this;
        }

        public Builder rememberHubs(boolean rememberHubs) {
            this.rememberHubs = rememberHubs;
            return this;
        }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the offending setting. */
        public AgentSettings build() {
            return new AgentSettings(hubs, token, interval, intervalSetLocally, stateDirectory, spoolMaxAge, spoolMaxBytes,
                    simulatedAgents, hostname, machineId, inMemorySpool, reconnectBackoff, window, connectTimeout,
                    handshakeTimeout, ackTimeout, healthyAfter, servicesFile, backupsFile, topProcesses,
                    credentialRotation, trust, checks, rememberHubs);
        }
    }
}
