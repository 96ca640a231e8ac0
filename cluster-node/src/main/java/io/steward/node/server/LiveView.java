package io.steward.node.server;

import io.steward.core.alerting.Severity;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.alerting.ActiveAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The server as it is now, in memory only: the latest report, a bounded recent window, the headline values, and the
 * browsers following it. Rebuilt from the next report after a restart or a move to another node (the store's last
 * known values stand in until then). Summaries go to the fleet feed; full reports only to this server's subscribers.
 */
final class LiveView {
    /** A subscriber stopped (its socket closed): it is forgotten. */
    record SubscriberGone(ActorRef<ServerUpdate> subscriber) implements LiveCommand {}

    /** The store's last known headline, loaded after recovery. */
    record LastKnownLoaded(ServerSummary.Headline headline) implements LiveCommand {}

    private final EntityContext entity;
    private final FleetFeed fleet;
    private final LastKnownValues lastKnown;
    private final LongSupplier lastSequence;
    private final List<BiConsumer<ServerState.Active, ActorRef<ServerUpdate>>> greeters = new ArrayList<>();

    private MetricsReport latest;
    private ServerSummary.Headline headline;
    private final RecentWindow recent;
    private final Set<ActorRef<ServerUpdate>> subscribers = new HashSet<>();

    LiveView(EntityContext entity, FleetFeed fleet, LastKnownValues lastKnown, LongSupplier lastSequence) {
        this.entity = entity;
        this.fleet = fleet;
        this.lastKnown = lastKnown;
        this.lastSequence = lastSequence;
        this.recent = new RecentWindow(entity.settings.recentWindow());
    }

    /** Another concern's part of a new subscriber's first picture (e.g. the services). */
    void addGreeter(BiConsumer<ServerState.Active, ActorRef<ServerUpdate>> greeter) {
        greeters.add(greeter);
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, LiveCommand command) {
        if (command instanceof LiveCommand.GetSummary get) {
            return entity.effects.reply(get.replyTo(), StatusReply.success(summary(state)));
        }
        if (command instanceof LiveCommand.GetDetail get) {
            return entity.effects.reply(get.replyTo(), StatusReply.success(detail(state)));
        }
        if (command instanceof LiveCommand.Subscribe subscribe) {
            subscribe(state, subscribe.subscriber());
        } else if (command instanceof LiveCommand.Unsubscribe unsubscribe) {
            subscribers.remove(unsubscribe.subscriber());
            entity.actor.unwatch(unsubscribe.subscriber());
        } else if (command instanceof SubscriberGone gone) {
            subscribers.remove(gone.subscriber());
        } else if (command instanceof LastKnownLoaded loaded && headline == null && loaded.headline() != null) {
            headline = loaded.headline();
            // The fleet's read models asked before the values were loaded (a start, a move): they hear them now.
            publishChanged(state);
        }
        return entity.effects.noReply();
    }

    private void subscribe(ServerState.Active state, ActorRef<ServerUpdate> subscriber) {
        if (subscribers.add(subscriber)) {
            entity.actor.watchWith(subscriber, new SubscriberGone(subscriber));
        }
        // The subscriber starts from the current picture, not from the next report.
        subscriber.tell(latest == null
                ? new ServerUpdate.Changed(summary(state))
                : new ServerUpdate.Reported(summary(state), latest));
        greeters.forEach(greeter -> greeter.accept(state, subscriber));
    }

    /** After recovery: the store's newest values stand in for the latest report until one arrives. */
    void onRecovered() {
        entity.actor.pipeToSelf(lastKnown.load(entity.serverId.value()), (found, failure) ->
                new LastKnownLoaded(found == null ? null : found.orElse(null)));
    }

    /** Whether {@code report} is at least as new as the latest one (spool replays arrive late and out of order). */
    boolean isNewest(MetricsReport report) {
        return latest == null || !report.collectedAt().isBefore(latest.collectedAt());
    }

    /** Takes a stored report into the view; only the newest one becomes "latest". */
    void accept(MetricsReport report, boolean newest) {
        if (newest) {
            latest = report;
            headline = ServerSummary.Headline.of(report);
        }
        recent.add(report);
    }

    /** When the agent was last heard from: the latest report, else the store's, else the persisted presence. */
    Instant lastSeen(ServerState.Active state) {
        if (latest != null) {
            return latest.collectedAt();
        }
        if (headline != null) {
            return headline.at();
        }
        return state.presence().lastSeen();
    }

    ServerSummary summary(ServerState.Active state) {
        ServerSummary.Headline values = headline;
        Identity identity = state.identity();
        OperatorDetails details = state.details();
        SystemIdentity system = identity.system();
        return new ServerSummary(entity.serverId.value(), identity.hostname(), details.displayName(), details.group(),
                details.tags(), details.notes(), state.presence().online(), lastSeen(state), identity.agentVersion(),
                identity.registeredAt(),
                system == null ? null : system.displayOs(),
                system == null ? List.of() : system.addresses(),
                values == null ? null : values.cpuPercent(),
                values == null ? null : values.memoryPercent(),
                values == null ? null : values.diskPercent(),
                values == null ? null : values.load1(),
                values == null ? null : values.uptimeSeconds(),
                firing(state, Severity.CRITICAL),
                firing(state, Severity.WARNING));
    }

    private static int firing(ServerState.Active state, Severity severity) {
        int count = 0;
        for (ActiveAlert alert : state.alerts().active().values()) {
            if (alert.phase() == ActiveAlert.Phase.FIRING && alert.severity() == severity) {
                count++;
            }
        }
        return count;
    }

    private ServerDetail detail(ServerState.Active state) {
        SystemIdentity system = latest != null
                ? SystemIdentity.of(latest.host(), latest.interfaces()) : state.identity().system();
        return new ServerDetail(summary(state), system, latest, recent.points(), lastSequence.getAsLong());
    }

    /** The summary changed without a report (renamed, went offline, an alert fired): everyone watching hears. */
    void publishChanged(ServerState state) {
        if (state instanceof ServerState.Active active) {
            publish(new ServerUpdate.Changed(summary(active)));
        }
    }

    /** A new newest report: its subscribers get it whole, the fleet only the summary. */
    void publishReported(ServerState.Active state, MetricsReport report) {
        publish(new ServerUpdate.Reported(summary(state), report));
    }

    private void publish(ServerUpdate update) {
        tellSubscribers(update);
        // The overview needs the headline, not the whole report (a fleet of 500 would be megabytes a second).
        fleet.publish(update instanceof ServerUpdate.Reported reported
                ? new ServerUpdate.Changed(reported.summary())
                : update);
    }

    /** For this server's pages only (e.g. services), not for the fleet feed. */
    void tellSubscribers(ServerUpdate update) {
        for (ActorRef<ServerUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
    }

    boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** The server was deleted: everyone watching hears it, then the view is empty. */
    void removed() {
        publish(new ServerUpdate.Removed(entity.serverId.value()));
        subscribers.clear();
        latest = null;
        headline = null;
        recent.clear();
    }
}
