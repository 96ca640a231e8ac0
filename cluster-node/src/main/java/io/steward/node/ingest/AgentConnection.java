package io.steward.node.ingest;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.database.Blocking;
import io.steward.node.problem.Problem;
import io.steward.node.server.AgentCommand;
import io.steward.node.server.BackupCommand;
import io.steward.node.server.ChannelCommand;
import io.steward.node.server.LifecycleCommand;
import io.steward.node.server.PresenceCommand;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServiceCommand;
import io.steward.node.socket.IncomingFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One agent's WebSocket connection: the handshake (version check, authentication or enrollment, attaching to the
 * server entity), then reports → durable store → ack, with a bound on reports waiting for storage. Frames arrive
 * through a back-pressured sink: the actor asks for the next frame only while fewer than {@code maxInFlight}
 * reports are unstored, so a fast agent slows down instead of growing the node's memory.
 *
 * <p>Nothing an agent sends can stop the node: every bad frame becomes an error frame and a counter.
 *
 * <p>Over 400 lines on purpose: it is one connection's state machine (hello, authentication, attach, streaming,
 * closing), whose states share the stream's back-pressure and the close protocol and read best side by side; the
 * entity's requests live in {@link EntityRequests}.
 */
public final class AgentConnection {

    /** Everything this actor handles. Local wiring only: never crosses the cluster. */
    public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /** The stream's first message; {@code ack} requests the next frame. */
    public record StreamStarted(ActorRef<StreamAck> ack) implements Command {}

    public record FrameArrived(IncomingFrame frame, ActorRef<StreamAck> ack) implements Command {}

    public record StreamEnded() implements Command {}

    public record StreamFailed(Throwable cause) implements Command {}

    /**
     * The suggested agent interval may have changed (told through {@link WelcomedConnections}): a welcomed
     * connection sends the one in force if its agent heard another last.
     */
    public record AgentIntervalChanged() implements Command {}

    /** The sink's demand signal. */
    public enum StreamAck { INSTANCE }

    private record AuthDone(AgentCredentials.AuthResult result, Throwable failure) implements Command {}

    /** The entity recorded a re-enrollment and said whether an admin must approve it. */
    private record ReEnrollRecorded(String requestId, Boolean needsApproval, Throwable failure) implements Command {}

    /** The re-enrollment's credential, or empty while it waits for an admin. */
    private record ReEnrollDecided(Optional<AgentCredentials.Enrolled> enrolled, Throwable failure)
            implements Command {}

    /** A rotated credential for the agent, or empty when its credential was revoked meanwhile. */
    private record CredentialRotated(Optional<String> credential, Throwable failure) implements Command {}

    private record Attached(String serverId, String credential, long lastStored, Throwable failure)
            implements Command {}

    /** The entity has not answered the attach within welcome-without-entity-after: a failover is moving it. */
    private record AttachSlow() implements Command {}

    /** The server's last stored sequence, read to welcome its agent before the entity answers. */
    private record StoredBefore(Long lastStored, Throwable failure) implements Command {}

    /** Time to ask the entity again to attach a connection welcomed without its answer. */
    private record RetryAttach() implements Command {}

    /** The entity's answer to an attach asked after the welcome: null failure means attached. */
    private record LateAttached(Throwable failure) implements Command {}

    /** The credential checked again once the entity attached a connection welcomed without its answer. */
    private record Reauthenticated(AgentCredentials.AuthResult result, Throwable failure) implements Command {}

    /** {@code receivedNanos}: {@link System#nanoTime()} when the frame arrived, for the ack latency. */
    private record StoreDone(long sequence, AgentMessage.Report report, Boolean isNew, Throwable failure,
            long receivedNanos) implements Command {}

    private record FromEntity(AgentCommand command) implements Command {}

    private record HandshakeTimedOut() implements Command {}

    private record CommandTimedOut(String commandId) implements Command {}

    private record ListTimedOut(String commandId) implements Command {}

    private record AskTimedOut(String commandId) implements Command {}

    private record CloseTimedOut() implements Command {}

    /** The socket's output stage is running (see {@link OutputLink}). */
    public record OutputReady(ActorRef<Outgoing> output) implements Command {}

    /** What the connection writes to the socket. */
    public sealed interface Outgoing extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    public record Send(NodeMessage message) implements Outgoing {}

    public record Close() implements Outgoing {}

    /** How long a closing connection may take to flush its last frames and see its reports' stores complete. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Connections that keep sending garbage are cut off after this many errors. */
    private static final int MAX_ERRORS = 100;

    /** Collaborators shared by every connection of a node. */
    public record Dependencies(
            IngestSettings settings,
            AgentCredentials credentials,
            ReportSink sink,
            ClusterSharding sharding,
            IngestCounters counters,
            Blocking blocking,
            CheckLink checks,
            java.util.function.Supplier<java.util.List<HubDirectory.AgentHub>> hubs,
            java.util.function.Supplier<java.time.Duration> agentInterval,
            WelcomedConnections welcomed,
            java.util.function.Predicate<Instant> stoodStillSince) {}

    /** The actor of one connection; its frames go out once it is told {@link OutputReady}. */
    public static Behavior<Command> create(Dependencies dependencies, String remote) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new HandshakeTimedOut(), dependencies.settings().handshakeTimeout());
            dependencies.counters().connectionOpened();
            return new AgentConnection(dependencies, remote, context, timers).awaitingHello();
        }));
    }

    private final Dependencies dependencies;
    private final OutputLink out = new OutputLink();
    private final String remote;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Logger log;
    private final ActorRef<AgentCommand> entityFacing;
    /** When this node opened the connection: orders it against the agent's other connections (see Takeover). */
    private final Instant openedAt = Instant.now();

    private final ReportRate reportRate;
    private ActorRef<StreamAck> pendingAck;
    private int inFlight;
    /** Closing: the socket has ended, the actor waits only for its reports' stores. */
    private boolean socketEnded;
    /** Closing: deletions of the server waiting for this connection's reports in flight to be stored. */
    private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
    /** A credential is rotated at most once per connection: each rotation writes to the database. */
    private boolean rotationAsked;
    /** This connection enrolled and its welcome carried a new credential the agent has not been heard using yet. */
    private boolean unclaimedCredential;
    private int errors;
    private boolean clockSkewLogged;
    private String serverId;
    private String hostname;
    /** The interval suggestion this connection's agent heard last (its welcome's, or a later frame's). */
    private long suggestedMillis;
    private EntityRef<ServerCommand> entity;
    /** The hello of the attach in progress: asked again while the connection streams without the entity's answer. */
    private AgentMessage.Hello attaching;
    /** The tries of an attach asked again after a welcome without the entity's answer. */
    private final AttachRetries attachRetries = new AttachRetries();
    /** Service commands sent to the agent and not answered yet; each is answered exactly once. */
    private final EntityRequests requests = new EntityRequests();

    private AgentConnection(
            Dependencies dependencies,
            String remote,
            ActorContext<Command> context,
            TimerScheduler<Command> timers) {
        this.dependencies = dependencies;
        this.timers = timers;
        this.remote = remote;
        this.context = context;
        this.log = context.getLog();
        this.entityFacing = context.messageAdapter(AgentCommand.class, FromEntity::new);
        this.reportRate = new ReportRate(dependencies.settings().maxReportsPerSecond(),
                dependencies.settings().reportBurst(), System.nanoTime());
    }

    // ---------------------------------------------------------------- state: waiting for hello

    private Behavior<Command> awaitingHello() {
        return lifecycle(Behaviors.receive(Command.class))
                .onMessage(StreamStarted.class, started -> {
                    started.ack().tell(StreamAck.INSTANCE);
                    return Behaviors.same();
                })
                .onMessage(FrameArrived.class, this::onHelloFrame)
                .onMessage(HandshakeTimedOut.class, timeout ->
                        fatal(ErrorCode.NOT_AUTHENTICATED, "no hello within "
                                + dependencies.settings().handshakeTimeout().toSeconds() + " s"))
                .build();
    }

    private Behavior<Command> onHelloFrame(FrameArrived arrived) {
        AgentMessage message = decode(arrived.frame());
        if (message == null) {
            return continueOrStop(arrived.ack());
        }
        if (!(message instanceof AgentMessage.Hello hello)) {
            return fatal(ErrorCode.NOT_AUTHENTICATED, "the first frame must be a hello");
        }
        if (!ProtocolVersion.isSupported(hello.protocolVersion())) {
            return fatal(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.protocolVersion()
                    + " is not supported; this node speaks " + ProtocolVersion.MINIMUM_SUPPORTED + ".."
                    + ProtocolVersion.CURRENT);
        }
        if (hello.hostname().isBlank() || hello.hostname().length() > 255) {
            return fatal(ErrorCode.MALFORMED, "hostname must be 1..255 characters");
        }
        hostname = hello.hostname();
        Optional<String> violation = dependencies.settings().limits().violation(hello);
        if (violation.isPresent()) {
            return fatal(ErrorCode.LIMIT_EXCEEDED, violation.get());
        }
        CompletionStage<AgentCredentials.AuthResult> auth = dependencies.blocking().supply(() ->
                dependencies.credentials().authenticate(hello.token(), hello.hostname(), hello.machineId(),
                        hello.enrollmentProof(), remote));
        context.pipeToSelf(auth, AuthDone::new);
        return authenticating(hello, arrived.ack());
    }

    private Behavior<Command> authenticating(AgentMessage.Hello hello, ActorRef<StreamAck> helloAck) {
        return lifecycle(Behaviors.receive(Command.class))
                .onMessage(AuthDone.class, done -> {
                    if (done.failure() != null) {
                        log.warn("Authentication of agent [{}] from [{}] failed", hello.hostname(), remote,
                                done.failure());
                        return fatal(ErrorCode.UNAVAILABLE, "the node cannot check credentials right now");
                    }
                    AgentCredentials.AuthResult result = done.result();
                    if (result instanceof AgentCredentials.Authenticated authenticated) {
                        return attach(hello, authenticated.serverId(), null);
                    }
                    if (result instanceof AgentCredentials.Enrolled enrolled) {
                        return attach(hello, enrolled.serverId(), enrolled.credential());
                    }
                    if (result instanceof AgentCredentials.ReEnrollment reEnrollment) {
                        return recordReEnrollment(hello, reEnrollment);
                    }
                    AgentCredentials.Rejected rejected = (AgentCredentials.Rejected) result;
                    return fatal(rejected.code(), rejected.message());
                })
                .onMessage(ReEnrollRecorded.class, recorded -> {
                    if (recorded.failure() != null) {
                        log.warn("Recording the re-enrollment of server [{}] failed", serverId, recorded.failure());
                        return fatal(ErrorCode.UNAVAILABLE, "the node cannot record this re-enrollment right now");
                    }
                    boolean needsApproval = recorded.needsApproval();
                    context.pipeToSelf(dependencies.blocking().supply(() -> dependencies.credentials()
                                    .decideReEnrollment(recorded.requestId(), needsApproval)),
                            ReEnrollDecided::new);
                    return Behaviors.same();
                })
                .onMessage(ReEnrollDecided.class, decided -> {
                    if (decided.failure() != null) {
                        log.warn("Re-enrolling server [{}] failed", serverId, decided.failure());
                        return fatal(ErrorCode.UNAVAILABLE, "the node cannot re-enroll this server right now");
                    }
                    if (decided.enrolled().isEmpty()) {
                        return fatal(ErrorCode.ENROLLMENT_PENDING, "server " + serverId + " is already enrolled and"
                                + " its credential is in use: an admin must approve this re-enrollment");
                    }
                    log.warn("Agent [{}] from [{}] re-enrolled server [{}]: its old credential no longer works",
                            hostname, remote, serverId);
                    return attach(hello, decided.enrolled().get().serverId(), decided.enrolled().get().credential());
                })
                .onMessage(Attached.class, attached -> {
                    if (attached.failure() != null) {
                        Behavior<Command> refused = refusedAttach(attached.failure());
                        if (refused != null) {
                            return refused;
                        }
                        log.warn("Attaching agent [{}] to server [{}] failed", hostname, serverId, attached.failure());
                        return fatal(ErrorCode.UNAVAILABLE, "the node cannot register this server right now");
                    }
                    attaching = null;
                    return welcome(attached.credential(), attached.lastStored(), helloAck);
                })
                .onMessage(AttachSlow.class, slow -> {
                    context.pipeToSelf(dependencies.sink().lastStoredSequence(serverId), StoredBefore::new);
                    return Behaviors.same();
                })
                .onMessage(StoredBefore.class, before -> {
                    if (before.failure() != null || before.lastStored() <= 0) {
                        return Behaviors.same(); // not known to have reported: its entity must register it first
                    }
                    log.info("Agent [{}] of server [{}] welcomed before its entity answered (a failover is moving it):"
                            + " its reports are stored meanwhile", hostname, serverId);
                    dependencies.counters().welcomeWithoutEntity();
                    timers.startSingleTimer(new RetryAttach(), attachRetries.next());
                    return welcome(null, before.lastStored(), helloAck);
                })
                .onMessage(HandshakeTimedOut.class, timeout ->
                        fatal(ErrorCode.UNAVAILABLE, "handshake did not complete in time"))
                .build();
    }

    /** A known machine enrolled again: its server's entity records it and says whether an admin must approve. */
    private Behavior<Command> recordReEnrollment(AgentMessage.Hello hello, AgentCredentials.ReEnrollment request) {
        serverId = request.serverId();
        EntityRef<ServerCommand> server = dependencies.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId);
        CompletionStage<Boolean> recorded = server.askWithStatus(replyTo -> new LifecycleCommand.ReEnroll(
                request.requestId(), hello.hostname(), remote, replyTo), dependencies.settings().askTimeout());
        context.pipeToSelf(recorded, (needsApproval, failure) ->
                new ReEnrollRecorded(request.requestId(), needsApproval, failure == null ? null : unwrap(failure)));
        return Behaviors.same();
    }

    /**
     * Asks the server's entity to attach this connection. Its answer normally comes in milliseconds; when a failover
     * is moving the entity it takes as long as the failover (~20 s). An agent that authenticated with its credential
     * and whose server has stored reports is then welcomed without the answer (see welcome-without-entity-after): its
     * reports are stored and acknowledged by the store, not by the entity. An enrollment always waits for the entity:
     * its attach registers the server.
     */
    private Behavior<Command> attach(AgentMessage.Hello hello, String id, String credential) {
        serverId = id;
        entity = dependencies.sharding().entityRefFor(ServerEntity.TYPE_KEY, id);
        attaching = hello;
        // Authenticated: what is left is the entity's answer, which a failover may delay past the handshake timeout.
        timers.cancel(new HandshakeTimedOut());
        CompletionStage<Attached> attached = askAttach(credential == null, dependencies.settings().attachTimeout())
                .thenCompose(done -> dependencies.sink().lastStoredSequence(id))
                .thenApply(last -> new Attached(id, credential, last, null));
        context.pipeToSelf(attached, (value, failure) ->
                failure == null ? value : new Attached(id, null, 0, unwrap(failure)));
        if (credential == null) {
            timers.startSingleTimer(new AttachSlow(), dependencies.settings().welcomeWithoutEntityAfter());
        }
        return Behaviors.same();
    }

    /**
     * @param registered the agent authenticated with its credential, so its server is registered: an entity that
     *     finds itself unregistered (the server was deleted meanwhile) refuses instead of registering it again
     */
    private CompletionStage<org.apache.pekko.Done> askAttach(boolean registered, Duration timeout) {
        AgentMessage.Hello hello = attaching;
        return entity.askWithStatus(replyTo -> new LifecycleCommand.Attach(hello.hostname(), hello.machineId(),
                hello.agentVersion(), entityFacing, openedAt, registered, replyTo), timeout);
    }

    /** The entity's refusal of the attach as the agent hears it, or null if the failure is worth a retry. */
    private Behavior<Command> refusedAttach(Throwable failure) {
        // A deleted server refuses its agent for good; a credential held by a live connection of another agent too.
        if (failure instanceof Problem problem && problem.code() == Problem.Code.GONE) {
            return fatal(ErrorCode.SERVER_DELETED, problem.getMessage());
        }
        if (failure instanceof Problem problem && problem.code() == Problem.Code.CONFLICT) {
            return fatal(ErrorCode.CREDENTIAL_IN_USE, problem.getMessage());
        }
        return null;
    }

    private Behavior<Command> welcome(String credential, long lastStored, ActorRef<StreamAck> helloAck) {
        timers.cancel(new HandshakeTimedOut());
        timers.cancel(new AttachSlow());
        unclaimedCredential = credential != null;
        java.util.List<HubDirectory.AgentHub> hubs = dependencies.hubs().get();
        // Joined before the interval is read: a change after the read is told to this connection too.
        dependencies.welcomed().joined(context.getSelf());
        suggestedMillis = dependencies.agentInterval().get().toMillis();
        out.tell(new Send(new NodeMessage.Welcome(ProtocolVersion.CURRENT, serverId, credential, lastStored,
                HubDirectory.endpoints(hubs), HubDirectory.pins(hubs), suggestedMillis)));
        log.info("Agent [{}] connected as server [{}] from [{}]", hostname, serverId, remote);
        dependencies.checks().connected(serverId);
        helloAck.tell(StreamAck.INSTANCE);
        return streaming();
    }

    /**
     * The entity's answer to an attach of a connection welcomed without it (the first ask, or a retry): attached, the
     * credential is checked once more (it may have been revoked, its server deleted, while the entity was away); a
     * refusal closes the connection; no answer asks again, until the tries are used up.
     */
    private Behavior<Command> onLateAttach(Throwable failure) {
        if (attaching == null) {
            return Behaviors.same();
        }
        if (failure == null) {
            AgentMessage.Hello hello = attaching;
            attaching = null;
            timers.cancel(new RetryAttach());
            context.pipeToSelf(dependencies.blocking().supply(() -> dependencies.credentials().authenticate(
                    hello.token(), hello.hostname(), hello.machineId(), hello.enrollmentProof(), remote)),
                    Reauthenticated::new);
            return Behaviors.same();
        }
        Behavior<Command> refused = refusedAttach(failure);
        if (refused != null) {
            return refused;
        }
        if (attachRetries.exhausted()) {
            return fatal(ErrorCode.UNAVAILABLE, "the server's entity did not answer after " + attachRetries.tried()
                    + " tries; try another node");
        }
        if (!timers.isTimerActive(new RetryAttach())) {
            timers.startSingleTimer(new RetryAttach(), attachRetries.next());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onReauthenticated(Reauthenticated checked) {
        if (checked.failure() != null) {
            log.warn("Checking the credential of server [{}] again failed; keeping the connection", serverId,
                    checked.failure());
            return Behaviors.same();
        }
        if (checked.result() instanceof AgentCredentials.Authenticated authenticated
                && authenticated.serverId().equals(serverId)) {
            log.info("Agent [{}] of server [{}] attached to its entity", hostname, serverId);
            return Behaviors.same();
        }
        return checked.result() instanceof AgentCredentials.Rejected rejected
                ? fatal(rejected.code(), rejected.message())
                : fatal(ErrorCode.UNAUTHORIZED, "this connection's credential no longer names server " + serverId);
    }

    // ---------------------------------------------------------------- state: streaming reports

    private Behavior<Command> streaming() {
        return lifecycle(Behaviors.receive(Command.class))
                .onMessage(FrameArrived.class, this::onStreamingFrame)
                .onMessage(StoreDone.class, this::onStored)
                .onMessage(CredentialRotated.class, this::onCredentialRotated)
                .onMessage(Attached.class, attached -> onLateAttach(attached.failure()))
                .onMessage(LateAttached.class, attached -> onLateAttach(attached.failure()))
                .onMessage(RetryAttach.class, retry -> {
                    if (attaching != null && stopping()) {
                        // A message for a shard already handed off waits for a stopping coordinator and holds the
                        // node's stop: the agent attaches to the next node instead.
                        return fatal(ErrorCode.UNAVAILABLE, "this node is stopping");
                    }
                    if (attaching != null) {
                        context.pipeToSelf(askAttach(true, AttachRetries.TRY_TIMEOUT),
                                (done, failure) -> new LateAttached(failure == null ? null : unwrap(failure)));
                    }
                    return Behaviors.same();
                })
                .onMessage(Reauthenticated.class, this::onReauthenticated)
                .onMessage(AgentIntervalChanged.class, changed -> onAgentIntervalChanged())
                .onMessage(AttachSlow.class, slow -> Behaviors.same())
                .onMessage(StoredBefore.class, before -> Behaviors.same())
                .onMessage(HandshakeTimedOut.class, timeout -> Behaviors.same())
                .build();
    }

    /**
     * Tells the agent the interval in force when it is not the one it heard last: a settings reload may announce a
     * change twice (the node that stored it and the topic) or one that leaves the interval as it was.
     */
    private Behavior<Command> onAgentIntervalChanged() {
        long now = dependencies.agentInterval().get().toMillis();
        if (now != suggestedMillis && now > 0) {
            suggestedMillis = now;
            log.debug("Suggesting an interval of [{}] ms to the agent of server [{}]", now, serverId);
            out.tell(new Send(new NodeMessage.IntervalSuggested(now)));
        }
        return Behaviors.same();
    }

    private Behavior<Command> onStreamingFrame(FrameArrived arrived) {
        AgentMessage message = decode(arrived.frame());
        if (message == null) {
            return continueOrStop(arrived.ack());
        }
        if (unclaimedCredential) {
            // It speaks after its welcome, so it has the credential: a retry of that enrollment is over.
            unclaimedCredential = false;
            String claimed = serverId;
            dependencies.blocking().run(() -> dependencies.credentials().claim(claimed))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            log.warn("Could not record that server [{}] has its credential", claimed, failure);
                        }
                    });
        }
        if (message instanceof AgentMessage.Hello) {
            reject(ErrorCode.MALFORMED, "already authenticated: hello ignored", 0);
            return continueOrStop(arrived.ack());
        }
        long sequence = message instanceof AgentMessage.Report report ? report.sequence() : 0;
        Optional<String> violation = dependencies.settings().limits().violation(message);
        if (violation.isPresent()) {
            reject(ErrorCode.LIMIT_EXCEEDED, violation.get(), sequence);
            return continueOrStop(arrived.ack());
        }
        if ((message instanceof AgentMessage.Report || message instanceof AgentMessage.Services
                || message instanceof AgentMessage.CheckResults) && !reportRate.tryAcquire(System.nanoTime())) {
            reject(ErrorCode.RATE_LIMITED, "more than " + dependencies.settings().maxReportsPerSecond()
                    + " reports per second: send this one again later", sequence);
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.RotateCredential) {
            if (attaching != null) {
                // Welcomed before its entity answered: no new credential until the entity has accepted this one.
                reject(ErrorCode.UNAVAILABLE, "this connection is not attached to its server yet: ask again later", 0);
                return continueOrStop(arrived.ack());
            }
            if (rotationAsked) {
                reject(ErrorCode.LIMIT_EXCEEDED, "one credential rotation per connection", 0);
                return continueOrStop(arrived.ack());
            }
            rotationAsked = true;
            String id = serverId;
            context.pipeToSelf(dependencies.blocking().supply(() -> dependencies.credentials().rotate(id)),
                    CredentialRotated::new);
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.Services services) {
            entity.tell(new ServiceCommand.ServicesReported(services.checkedAt(), services.services(), entityFacing));
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.CheckResults results) {
            dependencies.checks().results(serverId, results);
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.ProcessList list) {
            requests.answer(list).ifPresent(id -> timers.cancel("list-" + id));
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.CommandResult result) {
            requests.answer(result).ifPresent(outcome -> {
                timers.cancel("command-" + outcome.commandId());
                entity.tell(new ChannelCommand.CommandAnswered(outcome));
            });
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.HostKeyFetched fetched) {
            requests.answer(fetched.commandId(), fetched).ifPresent(id -> timers.cancel("ask-" + id));
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.SnapshotTree tree) {
            requests.answer(tree.commandId(), tree).ifPresent(id -> timers.cancel("ask-" + id));
            return continueOrStop(arrived.ack());
        }
        if (message instanceof AgentMessage.BackupInfo || message instanceof AgentMessage.BackupProgress
                || message instanceof AgentMessage.BackupRunResult || message instanceof AgentMessage.RestoreResult
                || message instanceof AgentMessage.VerifyResult) {
            // The entity stores results and acknowledges them through this connection (BackupAck).
            entity.tell(new BackupCommand.FromAgent(message, entityFacing));
            return continueOrStop(arrived.ack());
        }
        if (!(message instanceof AgentMessage.Report received)) {
            // A frame this node has no handler for (a newer agent): refused, never cast (nothing an agent sends
            // may stop the connection's actor).
            reject(ErrorCode.MALFORMED, "this node does not accept " + message.getClass().getSimpleName()
                    + " frames", 0);
            return continueOrStop(arrived.ack());
        }
        long receivedNanos = System.nanoTime();
        AgentMessage.Report report = withPlausibleTime(received);
        inFlight++;
        CompletionStage<Boolean> stored;
        try {
            stored = dependencies.sink().store(serverId, report.sequence(), report.metrics());
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        context.pipeToSelf(stored, (isNew, failure) ->
                new StoreDone(report.sequence(), report, isNew, failure == null ? null : unwrap(failure),
                        receivedNanos));
        if (inFlight < dependencies.settings().maxInFlight()) {
            arrived.ack().tell(StreamAck.INSTANCE);
        } else {
            pendingAck = arrived.ack(); // back-pressure: read on when a store completes
        }
        return Behaviors.same();
    }

    private Behavior<Command> onCredentialRotated(CredentialRotated rotated) {
        if (rotated.failure() != null) {
            log.warn("Rotating the credential of server [{}] failed", serverId, rotated.failure());
            reject(ErrorCode.UNAVAILABLE, "the node cannot rotate the credential right now", 0);
        } else if (rotated.credential().isPresent()) {
            log.info("Issued a rotated credential to the agent of server [{}]", serverId);
            out.tell(new Send(new NodeMessage.CredentialRotated(rotated.credential().get())));
        }
        return Behaviors.same();
    }

    /**
     * A report stamped further in the future than the allowed skew is stored at the node's receive time rather
     * than refused: refusing would make the agent drop it (data lost for a wrong clock), and storing the future
     * time would put points where no chart looks. The operator hears about it once per connection.
     */
    private AgentMessage.Report withPlausibleTime(AgentMessage.Report report) {
        Instant now = Instant.now();
        MetricsReport metrics = report.metrics();
        if (!metrics.collectedAt().isAfter(now.plus(dependencies.settings().maxClockSkew()))) {
            return report;
        }
        dependencies.counters().clockSkewed();
        if (!clockSkewLogged) {
            clockSkewLogged = true;
            log.warn("Agent of server [{}] reports from [{}], ahead of this node's clock [{}]: storing its reports at"
                    + " receive time; fix the agent's clock (NTP)", serverId, metrics.collectedAt(), now);
        }
        return new AgentMessage.Report(report.sequence(), new MetricsReport(now, metrics.intervalMillis(),
                metrics.host(), metrics.cpu(), metrics.memory(), metrics.filesystems(), metrics.disks(),
                metrics.interfaces(), metrics.processes(), metrics.droppedReports()));
    }

    private Behavior<Command> onStored(StoreDone done) {
        inFlight--;
        if (done.failure() == null) {
            // Counted before the ack goes out: whoever holds the ack finds it counted in /api/node and /metrics.
            dependencies.counters().acknowledged(done.isNew(), System.nanoTime() - done.receivedNanos());
            out.tell(new Send(new NodeMessage.Ack(done.sequence())));
            if (done.isNew()) {
                entity.tell(new PresenceCommand.ReportReceived(done.sequence(), done.report().metrics()));
            }
        } else if (done.failure() instanceof ReportSink.Busy) {
            reject(ErrorCode.UNAVAILABLE, "the node is busy; send this report again later", done.sequence());
        } else if (stopping()) {
            // The store closed with the node: the agent should report to another node now, not resend here.
            return fatal(ErrorCode.UNAVAILABLE, "this node is stopping");
        } else {
            log.warn("Storing report [{}] of server [{}] failed", done.sequence(), serverId, done.failure());
            reject(ErrorCode.UNAVAILABLE, "the node could not store this report; send it again later",
                    done.sequence());
        }
        if (pendingAck != null && inFlight < dependencies.settings().maxInFlight()) {
            pendingAck.tell(StreamAck.INSTANCE);
            pendingAck = null;
        }
        return Behaviors.same();
    }

    // ---------------------------------------------------------------- shared

    /** Adds the handlers every state has: stream end and failure, commands from the entity. */
    private BehaviorBuilder<Command> lifecycle(
            BehaviorBuilder<Command> builder) {
        return builder
                .onSignal(PostStop.class, stopped -> left())
                .onMessage(OutputReady.class, this::onOutputReady)
                .onMessage(StreamEnded.class, ended -> stop("agent closed the connection"))
                .onMessage(StreamFailed.class, failed -> stop("connection failed: " + failed.cause().getMessage()))
                .onMessage(FromEntity.class, fromEntity -> {
                    if (fromEntity.command() instanceof AgentCommand.RequestProcesses request) {
                        timers.startSingleTimer("list-" + request.commandId(),
                                new ListTimedOut(request.commandId()), request.timeout());
                        out.tell(new Send(requests.track(request)));
                        return Behaviors.same();
                    }
                    if (fromEntity.command() instanceof AgentCommand.RunServiceCommand command) {
                        timers.startSingleTimer("command-" + command.commandId(),
                                new CommandTimedOut(command.commandId()), command.timeout());
                        out.tell(new Send(requests.track(command, Instant.now())));
                        return Behaviors.same();
                    }
                    if (fromEntity.command() instanceof AgentCommand.Send send) {
                        out.tell(new Send(send.frame()));
                        return Behaviors.same();
                    }
                    if (fromEntity.command() instanceof AgentCommand.Ask ask) {
                        timers.startSingleTimer("ask-" + ask.commandId(), new AskTimedOut(ask.commandId()),
                                ask.timeout());
                        out.tell(new Send(requests.track(ask)));
                        return Behaviors.same();
                    }
                    if (fromEntity.command() instanceof AgentCommand.Disconnect disconnect) {
                        return fatal(disconnect.code(), disconnect.reason());
                    }
                    AgentCommand.Revoke revoke = (AgentCommand.Revoke) fromEntity.command();
                    return fatal(ErrorCode.SERVER_DELETED, revoke.reason(), revoke.drained());
                })
                .onMessage(ListTimedOut.class, timedOut -> {
                    requests.processListTimedOut(timedOut.commandId());
                    return Behaviors.same();
                })
                .onMessage(AskTimedOut.class, timedOut -> {
                    requests.askTimedOut(timedOut.commandId());
                    return Behaviors.same();
                })
                .onMessage(CommandTimedOut.class, timedOut -> {
                    // After this process stood still the agent's answer may be unread still, behind this timer that
                    // fired as the process woke: one more deadline, once (the entity puts off its own alike).
                    Optional<Duration> again = requests.putOffOnce(timedOut.commandId(),
                            dependencies.stoodStillSince());
                    if (again.isPresent()) {
                        log.info("Agent of server [{}] has not answered command [{}] by its deadline, but this process"
                                + " stood still meanwhile; waiting [{}] s more", serverId, timedOut.commandId(),
                                again.get().toSeconds());
                        timers.startSingleTimer("command-" + timedOut.commandId(), timedOut, again.get());
                    } else {
                        requests.commandTimedOut(timedOut.commandId());
                    }
                    return Behaviors.same();
                })
                .onMessage(StreamStarted.class, started -> {
                    started.ack().tell(StreamAck.INSTANCE);
                    return Behaviors.same();
                });
    }

    private AgentMessage decode(IncomingFrame frame) {
        if (frame instanceof IncomingFrame.Text text) {
            try {
                return WireFormat.decodeAgentMessage(text.text());
            } catch (WireFormat.MalformedMessageException e) {
                reject(ErrorCode.MALFORMED, "malformed message: " + e.getMessage(), 0);
                return null;
            }
        }
        if (frame instanceof IncomingFrame.Oversize oversize) {
            reject(ErrorCode.FRAME_TOO_LARGE, "frame of " + oversize.size() + " bytes exceeds the limit of "
                    + dependencies.settings().maxFrameBytes() + " bytes", 0);
            return null;
        }
        reject(ErrorCode.MALFORMED, "binary frames are not part of the protocol; send JSON text", 0);
        return null;
    }

    private void reject(ErrorCode code, String message, long sequence) {
        errors++;
        dependencies.counters().error(code);
        log.debug("Refused frame from [{}]: {} {}", remote, code, message);
        out.tell(new Send(new NodeMessage.Error(code, message, sequence, false)));
    }

    private Behavior<Command> continueOrStop(ActorRef<StreamAck> ack) {
        if (errors >= MAX_ERRORS) {
            return fatal(ErrorCode.MALFORMED, "too many bad frames; closing");
        }
        ack.tell(StreamAck.INSTANCE);
        return Behaviors.same();
    }

    /**
     * Sends a fatal error and closes. The actor lives on until the socket has drained: stopping at once would let
     * the coupled stream cancel the socket before the error frame is written, and the agent would never learn why.
     */
    private Behavior<Command> fatal(ErrorCode code, String message) {
        return fatal(code, message, null);
    }

    /**
     * {@link #fatal(ErrorCode, String)}, and also waits for the reports still on their way into the store (each
     * ends stored or failed), telling {@code drained} once none is left: a deleted server's data is deleted after
     * that. The socket's end stops the actor only then; {@link #CLOSE_TIMEOUT} bounds the whole wait.
     */
    private Behavior<Command> fatal(ErrorCode code, String message, @Nullable ActorRef<Done> drained) {
        dependencies.counters().error(code);
        log.info("Closing agent connection from [{}] ({}): {} {}", remote, hostname, code, message);
        out.tell(new Send(new NodeMessage.Error(code, message, 0, true)));
        out.tell(new Close());
        dependencies.welcomed().left(context.getSelf()); // nothing more is sent to this agent
        timers.startSingleTimer(new CloseTimedOut(), CLOSE_TIMEOUT);
        if (drained != null) {
            tellWhenDrained(drained);
        }
        return Behaviors.receive(Command.class)
                .onSignal(PostStop.class, stopped -> left())
                .onMessage(OutputReady.class, this::onOutputReady)
                .onMessage(StoreDone.class, done -> {
                    inFlight--; // not acked: the agent sends it again wherever it reports next
                    if (inFlight > 0) {
                        return Behaviors.same();
                    }
                    drainWaiters.forEach(waiter -> waiter.tell(Done.getInstance()));
                    drainWaiters.clear();
                    return socketEnded ? stop(null) : Behaviors.same();
                })
                .onMessage(FromEntity.class, fromEntity -> {
                    // The server deleted while this connection was closing for another reason: its deletion still
                    // waits for the stores. Other requests are answered by the entity's own deadlines.
                    if (fromEntity.command() instanceof AgentCommand.Revoke revoke) {
                        tellWhenDrained(revoke.drained());
                    }
                    return Behaviors.same();
                })
                .onMessage(StreamEnded.class, ended -> socketEnded())
                .onMessage(StreamFailed.class, failed -> socketEnded())
                .onMessage(CloseTimedOut.class, timedOut -> stop(null))
                .onAnyMessage(ignored -> Behaviors.same()) // no more frames are read: nothing is acked
                .build();
    }

    private Behavior<Command> onOutputReady(OutputReady ready) {
        out.bind(ready.output());
        return Behaviors.same();
    }

    private void tellWhenDrained(ActorRef<Done> waiter) {
        if (inFlight == 0) {
            waiter.tell(Done.getInstance());
        } else {
            drainWaiters.add(waiter);
        }
    }

    /** The closing socket has ended: the actor stops now, or once its last report's store has completed. */
    private Behavior<Command> socketEnded() {
        socketEnded = true;
        return inFlight == 0 ? stop(null) : Behaviors.same();
    }

    private Behavior<Command> stop(String reason) {
        if (reason != null && serverId != null) {
            // While this node stops, every agent goes: the node's stop is the news, not each disconnection.
            if (stopping()) {
                log.debug("Agent of server [{}] disconnected while the node stops: {}", serverId, reason);
            } else {
                log.info("Agent of server [{}] disconnected: {}", serverId, reason);
            }
        }
        out.tell(new Close());
        dependencies.counters().connectionClosed();
        requests.disconnected();
        return Behaviors.stopped();
    }

    /** However the actor stops (a close, a failure, an exception): its agent hears nothing more from this node. */
    private Behavior<Command> left() {
        dependencies.welcomed().left(context.getSelf());
        return Behaviors.same();
    }

    /** Whether this node's coordinated shutdown has begun: nothing more is sent to sharding then. */
    private boolean stopping() {
        return CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
