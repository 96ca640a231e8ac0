package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One agent's connection to its node: connect, hello, welcome, then stream the spool's reports and delete them as
 * acks arrive; on any failure, reconnect to the next of the cluster's hubs ({@link Hubs}: at once, or after a backoff
 * once a whole round failed, see {@link Reconnects}) and replay whatever is still unacknowledged.
 *
 * <p>Sending: a report is written only after the previous {@code sendText} completed (the JDK WebSocket allows one
 * outstanding send), and never more than {@code window} sequences past the oldest unacknowledged one. An
 * {@code Error(UNAVAILABLE, sequence)} pauses sending for a backoff, then sending resumes from the oldest
 * unacknowledged report (the node stores each sequence once, so a replay is harmless). A report the node refuses
 * for good (malformed, too large) is dropped and counted.
 *
 * <p>This class is the thread-safe face: any thread may call it, and it only enqueues work. Where the connection is
 * ({@link LinkPhase}) and every transition live in {@link LinkMachine}, which runs on a {@link SerialExecutor} over
 * the shared scheduler, so thousands of simulated links need no thread of their own.
 */
public final class Link {
    private final SerialExecutor serial;
    private final Identity identity;
    private final LinkStatus status = new LinkStatus();
    private final NodeRequests requests = new NodeRequests(this::sendLive);
    private final LinkMachine machine;

    public Link(LinkSettings settings, Spool spool, StateDirectory state, HttpClient http,
            ScheduledExecutorService scheduler) {
        this(settings, spool, state, http, scheduler, null);
    }

    /** As above, also timing every report from send to ack into {@code ackLatencies} (may be null). */
    public Link(LinkSettings settings, Spool spool, StateDirectory state, HttpClient http,
            ScheduledExecutorService scheduler, AckLatencies ackLatencies) {
        this(settings, spool, state, http, scheduler, ackLatencies, null);
    }

    /**
     * As above, for an agent that pins certificates: {@code pins} are those {@code http}'s TLS context trusts, to
     * which the pins its cluster announces are added (null when the agent does not pin).
     */
    public Link(LinkSettings settings, Spool spool, StateDirectory state, HttpClient http,
            ScheduledExecutorService scheduler, AckLatencies ackLatencies, TrustedPins pins) {
        requireNonNull(settings, "settings is null");
        requireNonNull(state, "state is null");
        requireNonNull(scheduler, "scheduler is null");
        this.serial = new SerialExecutor(scheduler);
        this.identity = new Identity(state, settings.enrollmentToken());
        Hubs hubs = Hubs.load(settings.hubs(), settings.rememberHubs() ? state : null,
                settings.machineId() == null ? "" : settings.machineId(), pins);
        this.machine = new LinkMachine(settings, hubs, spool, identity, status, requests, http, serial,
                new Timers(scheduler, serial), ackLatencies);
    }

    /**
     * Sends a frame that is not a report (service states, command results, backup progress and results) while
     * connected; dropped otherwise — the next check replaces it, the node times out a command whose answer was lost,
     * and backup results are kept by the backups and sent again after the next welcome.
     */
    public void sendLive(AgentMessage message) {
        String frame = WireFormat.encode(message);
        boolean services = message instanceof AgentMessage.Services;
        serial.execute(() -> machine.live(frame, services));
    }

    /** Where the node's service commands go; without a handler they are refused (this agent watches none). */
    public void onServiceCommand(Consumer<NodeMessage.ServiceCommand> handler) {
        requests.onServiceCommand(handler);
    }

    /** Where the node's backup frames go, and who hears of every welcome. */
    public void onBackupFrames(BackupFrames frames) {
        requests.onBackupFrames(frames);
    }

    /** Where the node's check frames go, and where due check results come from; without it every check is refused. */
    public void onCheckFrames(CheckFrames frames) {
        requests.onCheckFrames(frames);
    }

    /**
     * Who hears, at every welcome, the collection interval the node suggests in milliseconds (0: it suggests none),
     * and again whenever a connected node suggests another ({@code interval-suggested}). Called on the link's
     * executor: must not block.
     */
    public void onSuggestedInterval(LongConsumer listener) {
        requests.onSuggestedInterval(listener);
    }

    /** A check-results frame is due: it is pulled as soon as nothing else is being written, while streaming. */
    public void checkResultsDue() {
        serial.execute(machine::pump);
    }

    /** Where the full process list comes from when the node asks for it. */
    public void onListProcesses(Supplier<List<MetricsReport.ProcessInfo>> source) {
        requests.onListProcesses(source);
    }

    /** Starts connecting; returns at once. */
    public void start() {
        serial.execute(machine::connect);
    }

    /** A report was appended to the spool: send it if the window allows. */
    public void reportAvailable() {
        serial.execute(machine::pump);
    }

    /**
     * Stops: waits up to {@code grace} for acks of reports in flight, closes the socket normally and stops
     * reconnecting. The returned future completes when the socket is closed (or was never open).
     */
    public CompletableFuture<Void> stop(Duration grace) {
        serial.execute(() -> machine.stop(grace));
        return machine.stopped;
    }

    /**
     * Completes if the node rejects the enrollment token (unauthorized or expired) while no credential is saved:
     * on a first start that means the agent cannot work until someone gives it a new token.
     */
    public CompletionStage<NodeMessage.Error> enrollmentRejected() {
        return machine.enrollmentRejected;
    }

    public boolean connected() {
        return machine.phase().connected();
    }

    public String serverId() {
        return identity.serverId();
    }

    public long lastSentSequence() {
        return status.lastSentSequence();
    }

    public long lastAckedSequence() {
        return status.lastAckedSequence();
    }

    /** The hub this link is connected to, connecting to or will try next (null before its first attempt). */
    public URI hub() {
        return status.hub();
    }

    public String lastError() {
        return status.lastError();
    }

    public long reportsSent() {
        return status.reportsSent();
    }

    public long reportsAcked() {
        return status.reportsAcked();
    }
}
