package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.agent.link.LinkPhase.Attached;
import io.steward.agent.link.LinkPhase.Closing;
import io.steward.agent.link.LinkPhase.Connecting;
import io.steward.agent.link.LinkPhase.Disconnected;
import io.steward.agent.link.LinkPhase.Draining;
import io.steward.agent.link.LinkPhase.Handshaking;
import io.steward.agent.link.LinkPhase.Open;
import io.steward.agent.link.LinkPhase.Stopped;
import io.steward.agent.link.LinkPhase.Streaming;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link's state machine: every change of {@link LinkPhase} and what goes with it (sockets, frames, timers, the
 * spool's acknowledgements). Every method runs on the link's serial executor; socket callbacks and timers arrive
 * there tagged with their connection attempt and are ignored once the phase belongs to another attempt.
 *
 * <p>About 400 lines, the largest class of the link on purpose: each transition checks and replaces the same phase,
 * and they read best side by side. What is not a transition lives beside it: {@link Outbox} (what to write next),
 * {@link Congestion} (how much may be in flight), {@link NodeErrors} (what an error means), {@link Reconnects},
 * {@link Identity}, {@link Renumbering}.
 */
final class LinkMachine implements FrameListener.Events {
    /** Logs as the link, as before the machine was split from it: operators filter on that name. */
    private static final Logger log = LoggerFactory.getLogger(Link.class);

    /** How long a normal close may take before the socket is aborted. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** Pause before retrying a spool read that failed. */
    private static final Duration SPOOL_RETRY = Duration.ofSeconds(1);
    private static final DoubleSupplier JITTER = () -> ThreadLocalRandom.current().nextDouble();

    private final LinkSettings settings;
    private final Hubs hubs;
    private final Spool spool;
    private final Identity identity;
    private final LinkStatus status;
    private final HttpClient http;
    private final Executor serial;
    private final Timers timers;
    private final AckLatencies ackLatencies;
    private final Reconnects reconnects;
    private final Renumbering renumbering;
    private final NodeRequests requests;
    private final Outbox outbox;
    private final Congestion congestion;
    final CompletableFuture<NodeMessage.Error> enrollmentRejected = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** Replaced only here, on the serial executor; volatile so that the link's status may read it anywhere. */
    private volatile LinkPhase phase = new Disconnected(null);
    private long attempts;

    LinkMachine(LinkSettings settings, Hubs hubs, Spool spool, Identity identity, LinkStatus status,
            NodeRequests requests, HttpClient http, Executor serial, Timers timers, AckLatencies ackLatencies) {
        this.settings = requireNonNull(settings, "settings is null");
        this.hubs = requireNonNull(hubs, "hubs is null");
        this.spool = requireNonNull(spool, "spool is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.status = requireNonNull(status, "status is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.http = requireNonNull(http, "http is null");
        this.serial = requireNonNull(serial, "serial is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.ackLatencies = ackLatencies;
        this.reconnects = new Reconnects(settings.reconnectBackoff());
        this.renumbering = new Renumbering(spool);
        this.outbox = new Outbox(spool, settings.window(), requests::nextCheckResults);
        // An ack slower than a fifth of the ack timeout means an overloaded node, long before the timeout would.
        this.congestion = new Congestion(settings.window(), settings.ackTimeout().dividedBy(5), Duration.ofSeconds(1));
    }

    /** The current phase; safe to read from any thread. */
    LinkPhase phase() {
        return phase;
    }

    /** Queues a live frame while streaming ({@code services}: it replaces any older service state still queued). */
    void live(String frame, boolean services) {
        if (phase instanceof Streaming) {
            outbox.queueLive(frame, services);
            pump();
        }
    }

    // ------------------------------------------------------------------------------------------------ connecting

    void connect() {
        if (!(phase instanceof Disconnected)) {
            return;
        }
        Identity.Presented presented;
        try {
            presented = identity.present();
        } catch (IOException e) {
            status.failed("cannot read the saved credential: " + e);
            log.error("Cannot read the saved credential in [{}]; retrying", identity.directory(), e);
            phase = new Disconnected(timers.after(reconnects.nextDelay(JITTER), this::connect));
            return;
        }
        if (presented == null) {
            status.failed("no saved credential and no enrollment token");
            log.error("No credential saved in [{}] and no enrollment token given: cannot connect",
                    identity.directory());
            phase = new Stopped();
            return;
        }
        long attempt = ++attempts;
        URI hub = hubs.current();
        status.connecting(hub);
        String hello = WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, settings.agentVersion(),
                presented.token(), settings.hostname(), settings.machineId(), presented.enrollmentProof()));
        phase = new Connecting(new LinkPhase.Attempt(attempt, presented.enrollmentToken()), hello);
        try {
            http.newWebSocketBuilder()
                    .connectTimeout(settings.connectTimeout())
                    .buildAsync(hub, new FrameListener(attempt, serial, this))
                    .whenComplete((webSocket, failure) -> {
                        if (failure != null) {
                            serial.execute(() -> lost(attempt, "cannot connect to " + hub + ": "
                                    + Connection.describe(failure)));
                        }
                    });
        } catch (RuntimeException e) {
            lost(attempt, "cannot connect to " + hub + ": " + Connection.describe(e));
        }
    }

    @Override
    public void opened(long attempt, WebSocket webSocket) {
        if (!(phase instanceof Connecting connecting) || connecting.attempt().number() != attempt) {
            webSocket.abort();
            return;
        }
        Handshaking handshaking = new Handshaking(connecting.attempt(), new Connection(webSocket),
                timers.after(settings.handshakeTimeout(), () -> {
                    if (current(attempt) && phase.handshaking().isPresent()) {
                        lost(attempt, "no welcome from the node within " + settings.handshakeTimeout().toSeconds()
                                + " s");
                    }
                }));
        phase = handshaking;
        send(handshaking, connecting.hello(), () -> {});
    }

    /**
     * The connection of {@code attempt} is gone: connect to the next hub (at once, or after a backoff once a round
     * failed), or end the link if it was stopping.
     */
    @Override
    public void lost(long attempt, String reason) {
        if (!current(attempt)) {
            return;
        }
        Attached ending = (Attached) phase;
        ending.abandon();
        if (ending.stopping()) {
            phase = new Stopped();
            stopped.complete(null);
            return;
        }
        status.failed(reason);
        URI from = hubs.current();
        Duration delay = reconnects.afterFailure(hubs.size(), JITTER);
        URI next = hubs.next();
        status.connecting(next);
        phase = new Disconnected(timers.after(delay, this::connect));
        log.info(ending.connected() ? "Disconnected from [{}]: {}; connecting to [{}] in [{}] ms"
                : "Not connected to [{}]: {}; trying [{}] in [{}] ms", from, reason, next, delay.toMillis());
    }

    /** Whether the current phase belongs to connection attempt {@code attempt}. */
    private boolean current(long attempt) {
        return phase instanceof Attached attached && attached.attempt().number() == attempt;
    }

    // ------------------------------------------------------------------------------------------------ frames in

    @Override
    public void received(long attempt, String text) {
        if (!current(attempt)) {
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
            welcomed(welcome);
        } else if (message instanceof NodeMessage.Ack ack) {
            acknowledged(ack.sequence());
        } else if (message instanceof NodeMessage.Error error) {
            refused(error);
        } else if (message instanceof NodeMessage.CredentialRotated rotated) {
            identity.rotated(rotated);
        } else if (message instanceof NodeMessage.IntervalSuggested suggested) {
            // The admin changed the interval while this agent is connected: taken as a welcome's suggestion is.
            requests.intervalSuggested(suggested.suggestedIntervalMillis());
        } else {
            requests.handle(message);
        }
    }

    private void welcomed(NodeMessage.Welcome welcome) {
        Handshaking handshaking = phase.handshaking().orElse(null);
        if (handshaking == null) {
            log.warn("Ignoring an unexpected welcome from the node");
            return;
        }
        Timers.cancel(handshaking.timeout());
        boolean enrolledNow = identity.accept(welcome);
        hubs.welcomed(welcome.hubs(), welcome.hubPins());
        renumbering.welcomed(welcome.lastStoredSequence(), enrolledNow);
        reconnects.welcomed();
        LinkPhase.Attempt attempt = enrolledNow ? handshaking.attempt().enrolled() : handshaking.attempt();
        long cursor = spool.firstPendingSequence();
        log.info("Connected to [{}] as server [{}]; [{}] reports waiting in the spool", hubs.current(),
                welcome.serverId(), spool.pendingCount());
        if (phase instanceof Closing) {
            // A stop is closing this connection: keep what the welcome gave (saved above), send nothing more.
            phase = new Closing(handshaking.welcomed(attempt, cursor, null, null));
            return;
        }
        long number = attempt.number();
        congestion.restart();
        phase = handshaking.welcomed(attempt, cursor,
                timers.after(settings.healthyAfter(), () -> {
                    if (current(number) && phase.connected()) {
                        reconnects.healthy();
                    }
                }),
                timers.every(settings.ackCheckPeriod(), () -> checkAcks(number)));
        if (!enrolledNow && identity.rotationDue(settings.credentialRotation())) {
            outbox.queueLive(WireFormat.encode(new AgentMessage.RotateCredential()), false);
        }
        pump();
        requests.welcomed(welcome);
    }

    private void acknowledged(long sequence) {
        OptionalLong sentAt = phase.streaming()
                .map(stream -> stream.inFlight().answered(sequence)).orElse(OptionalLong.empty());
        if (sentAt.isPresent()) {
            long now = System.nanoTime();
            congestion.acknowledged(now - sentAt.getAsLong(), now);
            if (ackLatencies != null) {
                ackLatencies.record(now - sentAt.getAsLong());
            }
        }
        status.acknowledged(sequence);
        if (phase instanceof Streaming streaming) {
            phase = streaming.withResend(streaming.resend().afterAck());
        }
        try {
            spool.acknowledge(sequence);
        } catch (IOException e) {
            log.error("Cannot record the acknowledgement of report [{}] in the spool", sequence, e);
        }
        answered();
    }

    private void refused(NodeMessage.Error error) {
        status.failed(error.code() + ": " + error.message());
        LinkPhase.Attempt attempt = ((Attached) phase).attempt();
        NodeErrors.Verdict verdict = NodeErrors.classify(error, attempt.enrollmentToken());
        if (verdict instanceof NodeErrors.AboutReport report) {
            long sequence = report.sequence();
            phase.streaming().ifPresent(stream -> stream.inFlight().answered(sequence));
            if (report instanceof NodeErrors.ResendLater) {
                log.debug("Node could not store report [{}] now; will send it again", sequence);
                congestion.refused(System.nanoTime());
                pauseSending();
            } else {
                log.error("The node refused report [{}] for good ({}: {}); dropping it", sequence, error.code(),
                        error.message());
                try {
                    spool.reject(sequence);
                } catch (IOException e) {
                    log.error("Cannot drop report [{}] from the spool", sequence, e);
                }
            }
            answered();
        } else if (verdict instanceof NodeErrors.Warning) {
            log.warn("The node reported a problem: {}: {}", error.code(), error.message());
        } else if (verdict instanceof NodeErrors.Disconnect disconnect) {
            if (disconnect.lasting()) {
                reconnects.lastingRefusal();
                log.error("{} Retrying every [{}] ms.", NodeErrors.explain(error, attempt.enrollmentToken(),
                        identity.credentialFile()), settings.reconnectBackoff().maximum().toMillis());
                if (disconnect.rejectsEnrollment()) {
                    enrollmentRejected.complete(error);
                }
            } else {
                if (error.code() == ErrorCode.CREDENTIAL_IN_USE || error.code() == ErrorCode.UNAVAILABLE) {
                    reconnects.passingRefusal();
                }
                log.info("The node closed the connection: {}: {}", error.code(), error.message());
            }
            lost(attempt.number(), error.code() + ": " + error.message());
        }
    }

    /** A report was answered: a draining link closes once nothing is in flight; a streaming one sends on. */
    private void answered() {
        if (phase instanceof Draining draining) {
            if (draining.drained()) {
                close(draining);
            }
        } else {
            pump();
        }
    }

    private void pauseSending() {
        if (!(phase instanceof Streaming streaming) || streaming.resend().waiting()) {
            return;
        }
        Duration delay = streaming.resend().delay(settings.reconnectBackoff(), JITTER);
        phase = streaming.withResend(streaming.resend().pause());
        long attempt = streaming.attempt().number();
        timers.after(delay, () -> {
            if (current(attempt) && phase instanceof Streaming paused) {
                phase = paused.withResend(paused.resend().resume()).withCursor(spool.firstPendingSequence());
                pump();
            }
        });
    }

    private void checkAcks(long attempt) {
        if (!current(attempt)) {
            return;
        }
        Streaming stream = phase.streaming().orElse(null);
        if (stream != null && stream.inFlight().overdue(System.nanoTime(), settings.ackTimeout())) {
            lost(attempt, "no acknowledgement for report [" + stream.inFlight().lowest() + "] within "
                    + settings.ackTimeout().toSeconds() + " s");
        }
    }

    // ------------------------------------------------------------------------------------------------ frames out

    /** Writes the outbox's next frame, if nothing is being written and anything may go. */
    void pump() {
        if (!(phase instanceof Streaming streaming) || streaming.connection().writing()) {
            return;
        }
        Outbox.Outgoing next;
        try {
            next = outbox.next(streaming, congestion.window());
        } catch (IOException | RuntimeException e) {
            log.error("Cannot read the spool; trying again shortly", e);
            long attempt = streaming.attempt().number();
            timers.after(SPOOL_RETRY, () -> {
                if (current(attempt)) {
                    pump();
                }
            });
            return;
        }
        if (next instanceof Outbox.Live live) {
            send(streaming, live.frame(), this::pump);
        } else if (next instanceof Outbox.Report report) {
            long sequence = report.report().sequence();
            streaming.inFlight().sent(sequence, System.nanoTime());
            phase = streaming.withCursor(sequence + 1);
            send(streaming, report.frame(), () -> {
                status.sent(sequence);
                pump();
            });
        }
    }

    /** Writes one text frame; {@code afterSent} runs on the serial executor once the JDK accepted it. */
    private void send(Open open, String text, Runnable afterSent) {
        long attempt = open.attempt().number();
        Connection connection = open.connection();
        connection.write(text).whenComplete((webSocket, failure) -> serial.execute(() -> {
            if (!current(attempt)) {
                return;
            }
            connection.written();
            if (failure != null) {
                lost(attempt, "sending failed: " + Connection.describe(failure));
                return;
            }
            afterSent.run();
        }));
    }

    // ------------------------------------------------------------------------------------------------ stopping

    void stop(Duration grace) {
        LinkPhase stopping = phase;
        switch (stopping.onStop()) {
            case STOP_NOW -> {
                if (stopping instanceof Disconnected disconnected) {
                    Timers.cancel(disconnected.reconnect());
                }
                phase = new Stopped(); // a socket still being opened finds no Connecting phase and is aborted
                stopped.complete(null);
            }
            case CLOSE -> close((Open) stopping);
            case DRAIN -> {
                Draining draining = new Draining((Streaming) stopping);
                phase = draining;
                long attempt = draining.attempt().number();
                timers.after(grace, () -> {
                    if (current(attempt) && phase instanceof Draining overdue) {
                        close(overdue);
                    }
                });
            }
            case ALREADY_STOPPING -> {}
        }
    }

    private void close(Open open) {
        phase = new Closing(open);
        long attempt = open.attempt().number();
        open.connection().closeAfterWrites("agent stopping")
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure != null) {
                        lost(attempt, "close failed: " + Connection.describe(failure));
                    }
                }));
        timers.after(CLOSE_TIMEOUT, () -> lost(attempt, "the node did not answer the close in time"));
    }
}
