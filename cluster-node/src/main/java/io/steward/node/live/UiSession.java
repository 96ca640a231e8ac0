package io.steward.node.live;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.WireFormat;
import io.steward.node.notify.InboxItem;
import io.steward.node.overview.FleetOverview;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.FleetDirectory;
import io.steward.node.server.LiveCommand;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServerUpdate;
import io.steward.node.server.ServicesBody;
import io.steward.node.socket.IncomingFrame;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * One browser's live connection ({@code /ws/ui}): follows the fleet feed and the servers the page shows, and writes
 * JSON frames to the socket. The browser never polls; it sends what it wants to watch and gets pushes.
 *
 * <p>Fleet changes are coalesced per server and flushed on a timer, so the browser's work grows with the number of
 * servers that changed, not with the number of reports. A watched server's full reports are sent as they come.
 *
 * <p>Why one file of ~400 lines: the fleet feed, the watched servers, the inbox and the session check share one
 * mailbox and one socket, and the pure parts are already outside (frames in {@code UiFrame}/{@code UiRequest},
 * coalescing in {@link FleetChanges}); splitting the rest would spread one actor's state over several classes.
 */
public final class UiSession extends AbstractBehavior<UiSession.Command> {

    // ---------------------------------------------------------------- protocol

    public sealed interface Command extends NoSerializationVerificationNeeded {}

    /** A message from the browser. */
    public record ClientFrame(IncomingFrame frame) implements Command {}

    /** The socket closed. */
    public record ClientGone() implements Command {}

    public record ClientFailed(Throwable cause) implements Command {}

    private record FleetPush(ServerUpdate update) implements Command {}

    private record ServerPush(ServerUpdate update) implements Command {}

    private record InboxPush(InboxItem item) implements Command {}

    private record SnapshotLoaded(long epoch, List<ServerSummary> summaries, Throwable failure) implements Command {}

    private record ServerChecked(String serverId, boolean known, Throwable failure) implements Command {}

    private record Flush() implements Command {}

    private record RetrySnapshot(long epoch) implements Command {}

    private record CheckSession() implements Command {}

    private record SessionChecked(boolean valid) implements Command {}

    /** What the session writes to the socket. */
    public sealed interface Outgoing extends NoSerializationVerificationNeeded {}

    public record Send(String json) implements Outgoing {}

    /** Completes the output: the socket closes after the frames before it are written. */
    public record Close() implements Outgoing {}

    /** Answers whether a login session (by its cookie token) is still valid. */
    @FunctionalInterface
    public interface SessionCheck {
        CompletionStage<Boolean> isValid(String sessionToken);
    }

    public record Dependencies(
            LiveSettings settings,
            ClusterSharding sharding,
            ActorRef<Topic.Command<ServerUpdate>> fleetTopic,
            ActorRef<Topic.Command<InboxItem>> inboxTopic,
            FleetDirectory directory,
            FleetOverview overview,
            SessionCheck sessions) {
        public Dependencies {
            requireNonNull(settings, "settings is null");
            requireNonNull(sharding, "sharding is null");
            requireNonNull(fleetTopic, "fleetTopic is null");
            requireNonNull(inboxTopic, "inboxTopic is null");
            requireNonNull(directory, "directory is null");
            requireNonNull(overview, "overview is null");
            requireNonNull(sessions, "sessions is null");
        }
    }

    public static Behavior<Command> create(
            Dependencies dependencies, String username, String sessionToken, ActorRef<Outgoing> out) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new UiSession(context, timers, dependencies, username, sessionToken, out)));
    }

    // ---------------------------------------------------------------- state

    private static final ObjectMapper JSON = WireFormat.mapper();

    private final TimerScheduler<Command> timers;
    private final Dependencies dependencies;
    private final String sessionToken;
    private final ActorRef<Outgoing> out;
    private final ActorRef<ServerUpdate> serverAdapter;

    /** Listens to the fleet topic while the browser watches the fleet; null otherwise. */
    private ActorRef<ServerUpdate> fleetListener;
    /** Bumped on every watch-fleet, so a snapshot answer from an earlier watch is ignored. */
    private long fleetEpoch;
    private boolean snapshotSent;
    private final FleetChanges pending = new FleetChanges();

    /** Servers the browser asked to watch (including ones still being checked). */
    private final Set<String> watched = new HashSet<>();

    private UiSession(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            Dependencies dependencies,
            String username,
            String sessionToken,
            ActorRef<Outgoing> out) {
        super(context);
        this.timers = timers;
        this.dependencies = dependencies;
        this.sessionToken = sessionToken;
        this.out = out;
        this.serverAdapter = context.messageAdapter(ServerUpdate.class, ServerPush::new);
        timers.startTimerWithFixedDelay("session", new CheckSession(), dependencies.settings().sessionCheckInterval());
        send(new UiFrame.Welcome(username));
        // Every session hears of new inbox lines (the bell); the topic drops the subscription when this stops.
        dependencies.inboxTopic().tell(Topic.subscribe(context.messageAdapter(InboxItem.class, InboxPush::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClientFrame.class, this::onClientFrame)
                .onMessage(FleetPush.class, this::onFleetPush)
                .onMessage(ServerPush.class, this::onServerPush)
                .onMessage(InboxPush.class, push -> {
                    send(new UiFrame.Inbox(push.item()));
                    return this;
                })
                .onMessage(SnapshotLoaded.class, this::onSnapshot)
                .onMessage(RetrySnapshot.class, retry -> {
                    if (retry.epoch() == fleetEpoch && fleetListener != null) {
                        loadSnapshot();
                    }
                    return this;
                })
                .onMessage(ServerChecked.class, this::onServerChecked)
                .onMessage(Flush.class, flush -> {
                    flushFleet();
                    return this;
                })
                .onMessage(CheckSession.class, check -> {
                    getContext().pipeToSelf(dependencies.sessions().isValid(sessionToken),
                            // A failed check (database briefly away) does not log the user out.
                            (valid, failure) -> new SessionChecked(failure != null || Boolean.TRUE.equals(valid)));
                    return this;
                })
                .onMessage(SessionChecked.class, checked -> {
                    if (checked.valid()) {
                        return this;
                    }
                    send(new UiFrame.SessionEnded());
                    return closing();
                })
                .onMessage(ClientGone.class, gone -> Behaviors.stopped())
                .onMessage(ClientFailed.class, failed -> Behaviors.stopped())
                // However the session ends (even by a bug), the browser's socket must not stay open and silent.
                .onSignal(PostStop.class, signal -> {
                    out.tell(new Close());
                    return this;
                })
                .build();
    }

    /**
     * Completes the output and waits for the socket to close before stopping. Stopping at once would cancel the
     * input side (the sink watches this actor) and could close the socket before the last frames are written.
     */
    private Behavior<Command> closing() {
        out.tell(new Close());
        unwatchFleet();
        timers.cancelAll();
        timers.startSingleTimer("closing", new ClientGone(), dependencies.settings().frameTimeout());
        return Behaviors.receive(Command.class)
                .onMessage(ClientGone.class, gone -> Behaviors.stopped())
                .onMessage(ClientFailed.class, failed -> Behaviors.stopped())
                .onAnyMessage(ignored -> Behaviors.same())
                .build();
    }

    // ---------------------------------------------------------------- browser commands

    private Behavior<Command> onClientFrame(ClientFrame command) {
        if (command.frame() instanceof IncomingFrame.Oversize oversize) {
            return error("message of " + oversize.size() + " characters is over the limit of "
                    + dependencies.settings().maxClientFrameBytes());
        }
        if (!(command.frame() instanceof IncomingFrame.Text text)) {
            return error("binary messages are not part of this protocol; send JSON text");
        }
        UiRequest request;
        try {
            request = JSON.readValue(text.text(), UiRequest.class);
        } catch (JsonParseException e) {
            return error("not valid JSON");
        } catch (JsonProcessingException e) {
            return error("expected a JSON object with a \"type\"");
        }
        if (request == null || request.type() == null) {
            return error("expected a JSON object with a \"type\"");
        }
        String type = request.type();
        switch (type) {
            case "watch-fleet":
                watchFleet();
                return this;
            case "unwatch-fleet":
                unwatchFleet();
                return this;
            case "watch-server":
            case "unwatch-server":
                Optional<ServerId> serverId = ServerId.parse(request.serverId());
                if (serverId.isEmpty()) {
                    return error(type + " needs a valid \"serverId\"");
                }
                if (type.equals("watch-server")) {
                    watchServer(serverId.get().value());
                } else {
                    unwatchServer(serverId.get().value());
                }
                return this;
            default:
                return error("unknown message type \"" + type + "\"");
        }
    }

    private void watchFleet() {
        if (fleetListener == null) {
            ActorRef<Command> self = getContext().getSelf();
            fleetListener = getContext().spawnAnonymous(Behaviors.receive(ServerUpdate.class)
                    .onAnyMessage(update -> {
                        self.tell(new FleetPush(update));
                        return Behaviors.same();
                    })
                    .build());
            // Subscribe before reading the snapshot, so no change falls between the two.
            dependencies.fleetTopic().tell(Topic.subscribe(fleetListener));
        }
        fleetEpoch++;
        snapshotSent = false;
        pending.clear();
        loadSnapshot();
    }

    private void loadSnapshot() {
        long epoch = fleetEpoch;
        getContext().pipeToSelf(dependencies.overview().summaries(),
                (summaries, failure) -> new SnapshotLoaded(epoch, summaries, failure));
    }

    private void unwatchFleet() {
        if (fleetListener != null) {
            dependencies.fleetTopic().tell(Topic.unsubscribe(fleetListener));
            getContext().stop(fleetListener);
            fleetListener = null;
        }
        timers.cancel("flush");
        fleetEpoch++;
        pending.clear();
    }

    private void watchServer(String serverId) {
        if (watched.contains(serverId)) {
            return;
        }
        if (watched.size() >= dependencies.settings().maxWatchedServers()) {
            error("at most " + dependencies.settings().maxWatchedServers()
                    + " servers can be watched on one connection");
            return;
        }
        watched.add(serverId);
        // Only known servers: a made-up id must not start an entity.
        getContext().pipeToSelf(dependencies.directory().isKnown(serverId),
                (known, failure) -> new ServerChecked(serverId, Boolean.TRUE.equals(known), failure));
    }

    private Behavior<Command> onServerChecked(ServerChecked checked) {
        if (!watched.contains(checked.serverId())) {
            return this; // unwatched meanwhile
        }
        if (checked.failure() != null || !checked.known()) {
            watched.remove(checked.serverId());
            if (checked.failure() != null) {
                return error("could not look up server " + checked.serverId() + "; try again");
            }
            send(new UiFrame.Removed(checked.serverId()));
            return this;
        }
        entity(checked.serverId()).tell(new LiveCommand.Subscribe(serverAdapter));
        return this;
    }

    private void unwatchServer(String serverId) {
        if (watched.remove(serverId)) {
            entity(serverId).tell(new LiveCommand.Unsubscribe(serverAdapter));
        }
    }

    // ---------------------------------------------------------------- pushes

    private Behavior<Command> onSnapshot(SnapshotLoaded loaded) {
        if (loaded.epoch() != fleetEpoch || fleetListener == null) {
            return this;
        }
        if (loaded.failure() != null) {
            error("could not load the fleet; retrying");
            timers.startSingleTimer("snapshot-retry", new RetrySnapshot(fleetEpoch),
                    dependencies.settings().flushInterval().multipliedBy(4));
            return this;
        }
        pending.olderThan(loaded.summaries());
        send(new UiFrame.Fleet(true, loaded.summaries(), List.of()));
        snapshotSent = true;
        timers.startTimerWithFixedDelay("flush", new Flush(), dependencies.settings().flushInterval());
        return this;
    }

    private Behavior<Command> onFleetPush(FleetPush push) {
        if (fleetListener == null) {
            return this;
        }
        if (push.update() instanceof ServerUpdate.Changed changed) {
            pending.changed(changed.summary());
        } else if (push.update() instanceof ServerUpdate.Removed removed) {
            pending.removed(removed.serverId());
        }
        return this;
    }

    private void flushFleet() {
        if (snapshotSent) {
            pending.drain().ifPresent(this::send);
        }
    }

    private Behavior<Command> onServerPush(ServerPush push) {
        ServerUpdate update = push.update();
        if (update instanceof ServerUpdate.ServicesChanged services) {
            if (watched.contains(services.serverId())) {
                send(new UiFrame.Services(services.serverId(), ServicesBody.of(services.services())));
            }
            return this;
        }
        if (update instanceof ServerUpdate.BackupsChanged backups) {
            if (watched.contains(backups.serverId())) {
                send(new UiFrame.Backups(backups.serverId(), BackupsBody.jobs(backups.backups())));
            }
            return this;
        }
        if (update instanceof ServerUpdate.BackupProgressed progressed) {
            if (watched.contains(progressed.serverId())) {
                send(new UiFrame.BackupProgress(progressed.serverId(), progressed.jobId(),
                        BackupsBody.ProgressBody.of(progressed.progress())));
            }
            return this;
        }
        if (update instanceof ServerUpdate.Removed removed) {
            if (watched.remove(removed.serverId())) {
                send(new UiFrame.Removed(removed.serverId()));
            }
            return this;
        }
        ServerSummary summary = update instanceof ServerUpdate.Reported reported
                ? reported.summary()
                : ((ServerUpdate.Changed) update).summary();
        if (!watched.contains(summary.id())) {
            return this; // a push that was in flight when the browser unwatched
        }
        // null: a change without a report (renamed, went offline); the browser keeps its last report.
        send(new UiFrame.Server(summary.id(), summary,
                update instanceof ServerUpdate.Reported reported ? reported.report() : null));
        return this;
    }

    // ---------------------------------------------------------------- output

    private EntityRef<ServerCommand> entity(String serverId) {
        return dependencies.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId);
    }

    private Behavior<Command> error(String text) {
        send(new UiFrame.Error(text));
        return this;
    }

    private void send(UiFrame frame) {
        try {
            out.tell(new Send(JSON.writeValueAsString(frame)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a live frame", e);
        }
    }
}
