package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's connection to its node: connect, hello, welcome, then stream the spool's reports and delete them as
 * acks arrive; on any failure, reconnect after a backoff and replay whatever is still unacknowledged.
 *
 * <p>Sending: a report is written only after the previous {@code sendText} completed (the JDK WebSocket allows one
 * outstanding send), and never more than {@code window} sequences past the oldest unacknowledged one. An
 * {@code Error(UNAVAILABLE, sequence)} pauses sending for a backoff, then sending resumes from the oldest
 * unacknowledged report (the node stores each sequence once, so a replay is harmless). A report the node refuses
 * for good (malformed, too large) is dropped and counted.
 *
 * <p>Threading: every state change runs on a {@link SerialExecutor} over a shared scheduler; WebSocket callbacks and
 * timers only enqueue. Each connection attempt has a generation number so late callbacks of an old socket are
 * ignored.
 */
public final class Link {
    private static final Logger log = LoggerFactory.getLogger(Link.class);

    /** Errors that will not go away by reconnecting soon: retry at the maximum backoff. */
    private static final Set<ErrorCode> FATAL = EnumSet.of(
            ErrorCode.UNAUTHORIZED, ErrorCode.ENROLLMENT_EXPIRED, ErrorCode.UNSUPPORTED_VERSION,
            ErrorCode.SERVER_DELETED);
    /** Node frames are small (welcome, ack, error); anything bigger is not the protocol. */
    private static final int MAXIMUM_INCOMING_CHARS = 1 << 20;
    /** How long a normal close may take before the socket is aborted. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** Pause before retrying a spool read that failed. */
    private static final Duration SPOOL_RETRY = Duration.ofSeconds(1);

    /**
     * What the link needs to know.
     *
     * @param enrollmentToken used only while no credential is saved; may be null when one is
     */
    public record Settings(
            URI hub,
            String agentVersion,
            String hostname,
            String machineId,
            String enrollmentToken,
            Backoff reconnectBackoff,
            int window,
            Duration connectTimeout,
            Duration handshakeTimeout,
            Duration ackTimeout,
            Duration healthyAfter) {
        public Settings {
            requireNonNull(hub, "hub is null");
            requireNonNull(agentVersion, "agentVersion is null");
            requireNonNull(hostname, "hostname is null");
            requireNonNull(reconnectBackoff, "reconnectBackoff is null");
            requireNonNull(connectTimeout, "connectTimeout is null");
            requireNonNull(handshakeTimeout, "handshakeTimeout is null");
            requireNonNull(ackTimeout, "ackTimeout is null");
            requireNonNull(healthyAfter, "healthyAfter is null");
            if (window < 1) {
                throw new IllegalArgumentException("window must be positive");
            }
        }
    }

    private enum Phase { IDLE, CONNECTING, HANDSHAKING, STREAMING, STOPPED }

    private final Settings settings;
    private final Spool spool;
    private final StateDirectory state;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor serial;
    private final CompletableFuture<NodeMessage.Error> enrollmentRejected = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private final AckLatencies ackLatencies;

    // Confined to the serial executor.
    private Phase phase = Phase.IDLE;
    private int generation;
    private WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private boolean sending;
    private boolean usingEnrollmentToken;
    private boolean welcomedBefore;
    private boolean atMaximumBackoff;
    private int attempt;
    private int resendAttempt;
    private boolean resendPaused;
    private boolean stopping;
    private boolean closing;
    private long cursor;
    /** Sequences written to this connection and not answered yet, with the time they were sent (nanos). */
    private final TreeMap<Long, Long> inFlight = new TreeMap<>();
    /** Live frames (service states, command results): sent before reports, never spooled; the newest 32 kept. */
    private final java.util.ArrayDeque<String> liveFrames = new java.util.ArrayDeque<>();
    private volatile java.util.function.Consumer<NodeMessage.ServiceCommand> serviceCommands;
    private volatile java.util.function.Supplier<java.util.List<io.steward.core.protocol.MetricsReport.ProcessInfo>>
            processList = java.util.List::of;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> healthyTimer;
    private ScheduledFuture<?> ackCheckTimer;

    // Read by status() from any thread.
    private volatile boolean connected;
    private volatile String serverId;
    private volatile long lastSentSequence;
    private volatile long lastAckedSequence;
    private volatile String lastError;
    private volatile long reportsSent;
    private volatile long reportsAcked;

    public Link(Settings settings, Spool spool, StateDirectory state, HttpClient http,
            ScheduledExecutorService scheduler) {
        this(settings, spool, state, http, scheduler, null);
    }

    /** As above, also timing every report from send to ack into {@code ackLatencies} (may be null). */
    public Link(Settings settings, Spool spool, StateDirectory state, HttpClient http,
            ScheduledExecutorService scheduler, AckLatencies ackLatencies) {
        this.ackLatencies = ackLatencies;
        this.settings = requireNonNull(settings, "settings is null");
        this.spool = requireNonNull(spool, "spool is null");
        this.state = requireNonNull(state, "state is null");
        this.http = requireNonNull(http, "http is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.serial = new SerialExecutor(scheduler);
        try {
            this.serverId = state.serverId().orElse(null);
        } catch (IOException e) {
            log.warn("Cannot read the saved server id in [{}]: {}", state.path(), e.toString());
        }
    }

    /**
     * Sends a frame that is not a report (service states, command results) while connected; dropped otherwise —
     * the next check replaces it, and the node times out a command whose answer was lost.
     */
    public void sendLive(AgentMessage message) {
        String text = WireFormat.encode(message);
        serial.execute(() -> {
            if (phase != Phase.STREAMING || stopping) {
                return;
            }
            if (message instanceof AgentMessage.Services) {
                // Only the newest state matters; command results are never dropped.
                liveFrames.removeIf(frame -> frame.startsWith("{\"type\":\"services\""));
            }
            liveFrames.addLast(text);
            pump();
        });
    }

    /** Where the node's service commands go; without a handler they are refused (this agent watches none). */
    public void onServiceCommand(java.util.function.Consumer<NodeMessage.ServiceCommand> handler) {
        this.serviceCommands = handler;
    }

    /** Where the full process list comes from when the node asks for it. */
    public void onListProcesses(
            java.util.function.Supplier<java.util.List<io.steward.core.protocol.MetricsReport.ProcessInfo>> source) {
        this.processList = source;
    }

    /** Starts connecting; returns at once. */
    public void start() {
        serial.execute(this::connect);
    }

    /** A report was appended to the spool: send it if the window allows. */
    public void reportAvailable() {
        serial.execute(this::pump);
    }

    /**
     * Stops: waits up to {@code grace} for acks of reports in flight, closes the socket normally and stops
     * reconnecting. The returned future completes when the socket is closed (or was never open).
     */
    public CompletableFuture<Void> stop(Duration grace) {
        serial.execute(() -> beginStop(grace));
        return stopped;
    }

    /**
     * Completes if the node rejects the enrollment token (unauthorized or expired) while no credential is saved:
     * on a first start that means the agent cannot work until someone gives it a new token.
     */
    public CompletionStage<NodeMessage.Error> enrollmentRejected() {
        return enrollmentRejected;
    }

    public boolean connected() {
        return connected;
    }

    public String serverId() {
        return serverId;
    }

    public long lastSentSequence() {
        return lastSentSequence;
    }

    public long lastAckedSequence() {
        return lastAckedSequence;
    }

    public String lastError() {
        return lastError;
    }

    public long reportsSent() {
        return reportsSent;
    }

    public long reportsAcked() {
        return reportsAcked;
    }

    // ------------------------------------------------------------------------------------------------ connecting

    private void connect() {
        if (stopping || phase != Phase.IDLE) {
            return;
        }
        String token;
        try {
            String credential = state.credential().orElse(null);
            usingEnrollmentToken = credential == null;
            token = credential != null ? credential : settings.enrollmentToken();
        } catch (IOException e) {
            lastError = "cannot read the saved credential: " + e;
            log.error("Cannot read the saved credential in [{}]; retrying", state.path(), e);
            scheduleReconnect();
            return;
        }
        if (token == null) {
            lastError = "no saved credential and no enrollment token";
            log.error("No credential saved in [{}] and no enrollment token given: cannot connect", state.path());
            phase = Phase.STOPPED;
            return;
        }
        phase = Phase.CONNECTING;
        int current = ++generation;
        String hello = WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, settings.agentVersion(),
                token, settings.hostname(), settings.machineId()));
        try {
            http.newWebSocketBuilder()
                    .connectTimeout(settings.connectTimeout())
                    .buildAsync(settings.hub(), new Listener(current, hello))
                    .whenComplete((webSocket, failure) -> {
                        if (failure != null) {
                            serial.execute(() -> connectionLost(current, "cannot connect to " + settings.hub() + ": "
                                    + describe(failure)));
                        }
                    });
        } catch (RuntimeException e) {
            connectionLost(current, "cannot connect to " + settings.hub() + ": " + describe(e));
        }
    }

    private void opened(int current, WebSocket webSocket, String hello) {
        if (current != generation || phase != Phase.CONNECTING) {
            webSocket.abort();
            return;
        }
        socket = webSocket;
        phase = Phase.HANDSHAKING;
        send(current, hello, () -> {});
        handshakeTimer = schedule(settings.handshakeTimeout(), () -> {
            if (current == generation && phase == Phase.HANDSHAKING) {
                connectionLost(current, "no welcome from the node within "
                        + settings.handshakeTimeout().toSeconds() + " s");
            }
        });
    }

    private void connectionLost(int current, String reason) {
        if (current != generation) {
            return;
        }
        generation++;
        boolean wasConnected = connected;
        cancelTimers();
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        connected = false;
        sending = false;
        closing = false;
        resendPaused = false;
        inFlight.clear();
        lastSend = CompletableFuture.completedFuture(null);
        if (stopping) {
            phase = Phase.STOPPED;
            stopped.complete(null);
            return;
        }
        phase = Phase.IDLE;
        lastError = reason;
        Duration delay = scheduleReconnect();
        if (wasConnected) {
            log.info("Disconnected from [{}]: {}; reconnecting in [{}] ms", settings.hub(), reason, delay.toMillis());
        } else {
            log.info("Not connected to [{}]: {}; retrying in [{}] ms", settings.hub(), reason, delay.toMillis());
        }
    }

    private Duration scheduleReconnect() {
        Duration delay = atMaximumBackoff
                ? settings.reconnectBackoff().maximum()
                : settings.reconnectBackoff().delay(attempt, ThreadLocalRandom.current()::nextDouble);
        attempt = Math.min(attempt + 1, 64);
        reconnectTimer = schedule(delay, this::connect);
        return delay;
    }

    // ------------------------------------------------------------------------------------------------ frames in

    private void received(int current, String text) {
        if (current != generation) {
            return;
        }
        NodeMessage message;
        try {
            message = WireFormat.decodeNodeMessage(text);
        } catch (WireFormat.MalformedMessageException e) {
            log.warn("Ignoring a malformed frame from the node: {}", e.getMessage());
            return;
        }
        if (message instanceof NodeMessage.Welcome welcome) {
            welcomed(current, welcome);
        } else if (message instanceof NodeMessage.Ack ack) {
            acknowledged(ack.sequence());
        } else if (message instanceof NodeMessage.Error error) {
            refused(current, error);
        } else if (message instanceof NodeMessage.ListProcesses list) {
            sendLive(new AgentMessage.ProcessList(list.commandId(), java.time.Instant.now(), processList.get()));
        } else if (message instanceof NodeMessage.ServiceCommand command) {
            var handler = serviceCommands;
            if (handler != null) {
                handler.accept(command);
            } else {
                sendLive(new AgentMessage.CommandResult(command.commandId(), false, true,
                        "this agent has no services configured; nothing was run", java.util.List.of()));
            }
        }
    }

    private void welcomed(int current, NodeMessage.Welcome welcome) {
        if (phase != Phase.HANDSHAKING) {
            log.warn("Ignoring an unexpected welcome from the node");
            return;
        }
        cancel(handshakeTimer);
        boolean enrolledNow = welcome.credential() != null;
        if (enrolledNow) {
            try {
                state.saveCredential(welcome.credential());
                log.info("Enrolled as server [{}]; credential saved in [{}], the enrollment token is no longer needed",
                        welcome.serverId(), state.credentialFile());
            } catch (IOException e) {
                log.error("Enrolled as server [{}] but cannot save the credential in [{}]: the next start will need "
                        + "a new enrollment token", welcome.serverId(), state.credentialFile(), e);
            }
            usingEnrollmentToken = false;
        }
        if (!welcome.serverId().equals(serverId)) {
            try {
                state.saveServerId(welcome.serverId());
            } catch (IOException e) {
                log.warn("Cannot save the server id in [{}]: {}", state.path(), e.toString());
            }
            serverId = welcome.serverId();
        }
        continueAboveStoredSequences(welcome.lastStoredSequence(), enrolledNow);
        welcomedBefore = true;
        atMaximumBackoff = false;
        phase = Phase.STREAMING;
        connected = true;
        resendAttempt = 0;
        cursor = spool.firstPendingSequence();
        log.info("Connected to [{}] as server [{}]; [{}] reports waiting in the spool", settings.hub(),
                welcome.serverId(), spool.pendingCount());
        healthyTimer = schedule(settings.healthyAfter(), () -> {
            if (current == generation && phase == Phase.STREAMING) {
                attempt = 0;
            }
        });
        Duration period = settings.ackTimeout().dividedBy(4).isZero()
                ? settings.ackTimeout() : settings.ackTimeout().dividedBy(4);
        ackCheckTimer = scheduler.scheduleWithFixedDelay(() -> serial.execute(() -> checkAcks(current)),
                period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        pump();
    }

    /**
     * If the node already stored sequences this agent would (re)use, its state was lost: renumber above them. Also
     * when the pending reports were never sent to this server (just enrolled, or an in-memory spool's first
     * connection), since a node acking them as duplicates would silently lose them.
     */
    private void continueAboveStoredSequences(long lastStored, boolean enrolledNow) {
        boolean pendingNeverSent = enrolledNow || (!spool.durable() && !welcomedBefore);
        if (lastStored >= spool.nextSequence() || (pendingNeverSent && lastStored >= spool.firstPendingSequence())) {
            try {
                if (spool.rebaseAbove(lastStored)) {
                    log.info("The node already stored reports up to sequence [{}]: continuing at [{}]", lastStored,
                            spool.firstPendingSequence());
                }
            } catch (IOException e) {
                log.error("Cannot renumber the spool above sequence [{}]", lastStored, e);
            }
        }
    }

    private void acknowledged(long sequence) {
        Long sentAt = inFlight.remove(sequence);
        if (sentAt != null && ackLatencies != null) {
            ackLatencies.record(System.nanoTime() - sentAt);
        }
        reportsAcked++;
        if (sequence > lastAckedSequence) {
            lastAckedSequence = sequence;
        }
        resendAttempt = 0;
        try {
            spool.acknowledge(sequence);
        } catch (IOException e) {
            log.error("Cannot record the acknowledgement of report [{}] in the spool", sequence, e);
        }
        if (stopping && inFlight.isEmpty()) {
            closeSocket();
            return;
        }
        pump();
    }

    private void refused(int current, NodeMessage.Error error) {
        lastError = error.code() + ": " + error.message();
        if (!error.fatal() && error.sequence() > 0) {
            inFlight.remove(error.sequence());
            if (error.code() == ErrorCode.UNAVAILABLE) {
                log.debug("Node could not store report [{}] now; will send it again", error.sequence());
                pauseSending(current);
            } else {
                log.error("The node refused report [{}] for good ({}: {}); dropping it", error.sequence(),
                        error.code(), error.message());
                try {
                    spool.reject(error.sequence());
                } catch (IOException e) {
                    log.error("Cannot drop report [{}] from the spool", error.sequence(), e);
                }
            }
            if (stopping && inFlight.isEmpty()) {
                closeSocket();
            } else {
                pump();
            }
            return;
        }
        if (!error.fatal()) {
            log.warn("The node reported a problem: {}: {}", error.code(), error.message());
            return;
        }
        if (FATAL.contains(error.code())) {
            atMaximumBackoff = true;
            log.error("{} Retrying every [{}] ms.", explain(error), settings.reconnectBackoff().maximum().toMillis());
            if (usingEnrollmentToken
                    && (error.code() == ErrorCode.UNAUTHORIZED || error.code() == ErrorCode.ENROLLMENT_EXPIRED)) {
                enrollmentRejected.complete(error);
            }
        } else {
            // Transient (e.g. the node is busy or restarting): the usual backoff applies.
            log.info("The node closed the connection: {}: {}", error.code(), error.message());
        }
        connectionLost(current, error.code() + ": " + error.message());
    }

    private String explain(NodeMessage.Error error) {
        return switch (error.code()) {
            case UNAUTHORIZED -> usingEnrollmentToken
                    ? "The node rejected the enrollment token (" + error.message() + "). Create a new token on the "
                            + "node and pass it with --token or STEWARD_TOKEN."
                    : "The node rejected this agent's saved credential (" + error.message() + "). If the server was "
                            + "removed, delete " + state.credentialFile() + " and enroll again with a new token.";
            case ENROLLMENT_EXPIRED -> "The enrollment token has expired or is used up (" + error.message()
                    + "). Create a new token on the node and pass it with --token or STEWARD_TOKEN.";
            case UNSUPPORTED_VERSION -> "The node does not speak this agent's protocol version "
                    + ProtocolVersion.CURRENT + " (" + error.message() + "). Upgrade the agent or the node.";
            case SERVER_DELETED -> "This server was deleted on the node (" + error.message() + "). To monitor it "
                    + "again, delete " + state.credentialFile() + " and enroll with a new token.";
            default -> error.code() + ": " + error.message();
        };
    }

    private void pauseSending(int current) {
        if (resendPaused) {
            return;
        }
        resendPaused = true;
        Duration delay = settings.reconnectBackoff().delay(resendAttempt, ThreadLocalRandom.current()::nextDouble);
        resendAttempt = Math.min(resendAttempt + 1, 64);
        schedule(delay, () -> {
            if (current == generation && phase == Phase.STREAMING) {
                resendPaused = false;
                cursor = spool.firstPendingSequence();
                pump();
            }
        });
    }

    private void checkAcks(int current) {
        if (current != generation || phase != Phase.STREAMING || inFlight.isEmpty()) {
            return;
        }
        long oldest = inFlight.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        if (System.nanoTime() - oldest > settings.ackTimeout().toNanos()) {
            connectionLost(current, "no acknowledgement for report [" + inFlight.firstKey() + "] within "
                    + settings.ackTimeout().toSeconds() + " s");
        }
    }

    // ------------------------------------------------------------------------------------------------ frames out

    /** Sends the next pending report if nothing is being written, the window has room and sending is not paused. */
    private void pump() {
        if (phase != Phase.STREAMING || sending || stopping) {
            return;
        }
        String live = liveFrames.pollFirst();
        if (live != null) {
            send(generation, live, this::pump);
            return;
        }
        if (resendPaused) {
            return;
        }
        SpooledReport next;
        try {
            long limit = spool.firstPendingSequence() + settings.window();
            next = spool.next(cursor);
            while (next != null && inFlight.containsKey(next.sequence())) {
                next = spool.next(next.sequence() + 1);
            }
            if (next == null || next.sequence() >= limit) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            log.error("Cannot read the spool; trying again shortly", e);
            int current = generation;
            schedule(SPOOL_RETRY, () -> {
                if (current == generation) {
                    pump();
                }
            });
            return;
        }
        long sequence = next.sequence();
        cursor = sequence + 1;
        inFlight.put(sequence, System.nanoTime());
        send(generation, next.frame(), () -> {
            reportsSent++;
            if (sequence > lastSentSequence) {
                lastSentSequence = sequence;
            }
            pump();
        });
    }

    /** Writes one text frame; {@code afterSent} runs on the serial executor once the JDK accepted it. */
    private void send(int current, String text, Runnable afterSent) {
        sending = true;
        CompletableFuture<WebSocket> sent;
        try {
            sent = socket.sendText(text, true);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        lastSend = sent;
        sent.whenComplete((webSocket, failure) -> serial.execute(() -> {
            if (current != generation) {
                return;
            }
            sending = false;
            if (failure != null) {
                connectionLost(current, "sending failed: " + describe(failure));
                return;
            }
            afterSent.run();
        }));
    }

    // ------------------------------------------------------------------------------------------------ stopping

    private void beginStop(Duration grace) {
        if (stopping) {
            return;
        }
        stopping = true;
        cancel(reconnectTimer);
        switch (phase) {
            case IDLE, STOPPED, CONNECTING -> {
                generation++; // a connection still being opened is aborted when it opens
                phase = Phase.STOPPED;
                connected = false;
                stopped.complete(null);
            }
            case HANDSHAKING -> closeSocket();
            case STREAMING -> {
                if (inFlight.isEmpty()) {
                    closeSocket();
                } else {
                    int current = generation;
                    schedule(grace, () -> {
                        if (current == generation) {
                            closeSocket();
                        }
                    });
                }
            }
        }
    }

    private void closeSocket() {
        if (closing || socket == null) {
            return;
        }
        closing = true;
        int current = generation;
        WebSocket webSocket = socket;
        // After any outstanding send (one at a time), send the close frame; the node's close reply ends it.
        lastSend.handle((ignored, failure) -> null)
                .thenCompose(ignored -> webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping"))
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure != null) {
                        connectionLost(current, "close failed: " + describe(failure));
                    }
                }));
        schedule(CLOSE_TIMEOUT, () -> connectionLost(current, "the node did not answer the close in time"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            return scheduler.schedule(() -> serial.execute(task), Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // The scheduler is shutting down with the agent.
            log.debug("Cannot schedule a link task: {}", e.toString());
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void cancelTimers() {
        cancel(handshakeTimer);
        cancel(healthyTimer);
        cancel(ackCheckTimer);
        handshakeTimer = null;
        healthyTimer = null;
        ackCheckTimer = null;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Receives one connection's frames; joins fragments and hands whole texts to the serial executor. */
    private final class Listener implements WebSocket.Listener {
        private final int connection;
        private final String hello;
        private final StringBuilder text = new StringBuilder();

        Listener(int connection, String hello) {
            this.connection = connection;
            this.hello = hello;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
            serial.execute(() -> opened(connection, webSocket, hello));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (text.length() > MAXIMUM_INCOMING_CHARS) {
                text.setLength(0);
                serial.execute(() -> connectionLost(connection, "the node sent a frame over "
                        + MAXIMUM_INCOMING_CHARS + " characters"));
                return null;
            }
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                serial.execute(() -> received(connection, frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // not part of the protocol: ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            serial.execute(() -> connectionLost(connection, "closed by the node (" + statusCode
                    + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            serial.execute(() -> connectionLost(connection, "connection failed: " + describe(error)));
        }
    }
}
