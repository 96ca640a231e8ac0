package io.steward.node.live;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.protocol.WireFormat;
import io.steward.node.server.FleetDirectory;
import io.steward.node.notify.InboxItem;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServicesJson;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServerUpdate;
import io.steward.node.socket.IncomingFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
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
 */
public final class UiSession extends AbstractBehavior<UiSession.Command> {

    /** Server ids are generated from hostnames: short, URL-safe. Anything else is refused before any lookup. */
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

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
            SessionCheck sessions) {
        public Dependencies {
            requireNonNull(settings, "settings is null");
            requireNonNull(sharding, "sharding is null");
            requireNonNull(fleetTopic, "fleetTopic is null");
            requireNonNull(inboxTopic, "inboxTopic is null");
            requireNonNull(directory, "directory is null");
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
    private final Map<String, ServerSummary> pendingChanges = new LinkedHashMap<>();
    private final Set<String> pendingRemovals = new LinkedHashSet<>();

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
        send(message("welcome", "username", username));
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
                    Map<String, Object> frame = message("inbox");
                    frame.put("item", push.item());
                    send(frame);
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
                    send(message("session-ended"));
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
        JsonNode request;
        try {
            request = JSON.readTree(text.text());
        } catch (JsonProcessingException e) {
            return error("not valid JSON");
        }
        if (request == null || !request.isObject() || !request.path("type").isTextual()) {
            return error("expected a JSON object with a \"type\"");
        }
        String type = request.get("type").asText();
        switch (type) {
            case "watch-fleet":
                watchFleet();
                return this;
            case "unwatch-fleet":
                unwatchFleet();
                return this;
            case "watch-server":
            case "unwatch-server":
                String serverId = request.path("serverId").asText("");
                if (!SERVER_ID.matcher(serverId).matches()) {
                    return error(type + " needs a valid \"serverId\"");
                }
                if (type.equals("watch-server")) {
                    watchServer(serverId);
                } else {
                    unwatchServer(serverId);
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
        pendingChanges.clear();
        pendingRemovals.clear();
        loadSnapshot();
    }

    private void loadSnapshot() {
        long epoch = fleetEpoch;
        getContext().pipeToSelf(dependencies.directory().summaries(),
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
        pendingChanges.clear();
        pendingRemovals.clear();
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
            send(message("removed", "serverId", checked.serverId()));
            return this;
        }
        entity(checked.serverId()).tell(new ServerEntity.Subscribe(serverAdapter));
        return this;
    }

    private void unwatchServer(String serverId) {
        if (watched.remove(serverId)) {
            entity(serverId).tell(new ServerEntity.Unsubscribe(serverAdapter));
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
        Map<String, Instant> snapshotSeen = new HashMap<>();
        for (ServerSummary summary : loaded.summaries()) {
            snapshotSeen.put(summary.id(), summary.lastSeen());
        }
        // A change queued before the snapshot was read may be older than it: keep only newer ones.
        pendingChanges.values().removeIf(change -> {
            Instant seen = snapshotSeen.get(change.id());
            return seen != null && change.lastSeen() != null && change.lastSeen().isBefore(seen);
        });
        Map<String, Object> frame = message("fleet");
        frame.put("snapshot", true);
        frame.put("servers", loaded.summaries());
        frame.put("removed", List.of());
        send(frame);
        snapshotSent = true;
        timers.startTimerWithFixedDelay("flush", new Flush(), dependencies.settings().flushInterval());
        return this;
    }

    private Behavior<Command> onFleetPush(FleetPush push) {
        if (fleetListener == null) {
            return this;
        }
        if (push.update() instanceof ServerUpdate.Changed changed) {
            pendingRemovals.remove(changed.summary().id());
            pendingChanges.put(changed.summary().id(), changed.summary());
        } else if (push.update() instanceof ServerUpdate.Removed removed) {
            pendingChanges.remove(removed.serverId());
            pendingRemovals.add(removed.serverId());
        }
        return this;
    }

    private void flushFleet() {
        if (!snapshotSent || (pendingChanges.isEmpty() && pendingRemovals.isEmpty())) {
            return;
        }
        Map<String, Object> frame = message("fleet");
        frame.put("snapshot", false);
        frame.put("servers", new ArrayList<>(pendingChanges.values()));
        frame.put("removed", new ArrayList<>(pendingRemovals));
        pendingChanges.clear();
        pendingRemovals.clear();
        send(frame);
    }

    private Behavior<Command> onServerPush(ServerPush push) {
        ServerUpdate update = push.update();
        if (update instanceof ServerUpdate.ServicesChanged services) {
            if (watched.contains(services.serverId())) {
                Map<String, Object> frame = message("services", "serverId", services.serverId());
                frame.putAll(ServicesJson.describe(services.services()));
                send(frame);
            }
            return this;
        }
        if (update instanceof ServerUpdate.Removed removed) {
            if (watched.remove(removed.serverId())) {
                send(message("removed", "serverId", removed.serverId()));
            }
            return this;
        }
        ServerSummary summary = update instanceof ServerUpdate.Reported reported
                ? reported.summary()
                : ((ServerUpdate.Changed) update).summary();
        if (!watched.contains(summary.id())) {
            return this; // a push that was in flight when the browser unwatched
        }
        Map<String, Object> frame = message("server", "serverId", summary.id());
        frame.put("summary", summary);
        // null: a change without a report (renamed, went offline); the browser keeps its last report.
        frame.put("report", update instanceof ServerUpdate.Reported reported ? reported.report() : null);
        send(frame);
        return this;
    }

    // ---------------------------------------------------------------- output

    private EntityRef<ServerEntity.Command> entity(String serverId) {
        return dependencies.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId);
    }

    private Behavior<Command> error(String text) {
        send(message("error", "message", text));
        return this;
    }

    private static Map<String, Object> message(String type, String... keyValues) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            message.put(keyValues[i], keyValues[i + 1]);
        }
        return message;
    }

    private void send(Map<String, Object> frame) {
        try {
            out.tell(new Send(JSON.writeValueAsString(frame)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a live frame", e);
        }
    }
}
