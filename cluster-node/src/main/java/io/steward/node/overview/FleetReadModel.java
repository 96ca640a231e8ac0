package io.steward.node.overview;

import static java.util.Objects.requireNonNull;

import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServerUpdate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.pattern.StatusReply;
import org.jspecify.annotations.Nullable;

/**
 * One node's copy of the whole fleet's summaries: follows the cluster-wide fleet topic (where every entity, on any
 * node, publishes its summary changes and its deletion), so reading the fleet costs one local message instead of an
 * ask to every entity.
 *
 * <p>Why the topic and not Distributed Data: the entities already publish every summary change there for the
 * browsers, the state is only a cache of what the entities hold (nothing to merge, every node can rebuild it), and an
 * LWW map of 500 summaries would gossip the whole fleet between nodes on every report.
 *
 * <p>What pushes cannot cover is read: at start the model reads the servers table and asks every entity once
 * (readers wait for it); a server pushed for the first time makes it read the table again (the list keeps the
 * table's order, the order of enrollment); then, every reconcile interval, it asks only the servers nobody has heard
 * of, those said to be online that have not reported for a while (an entity gone with its node tells nobody), and,
 * every full-refresh interval, all of them (a topic delivers at most once: a node that was partitioned away, or that
 * subscribed a moment after a change, would otherwise keep an old summary).
 */
public final class FleetReadModel {
    private FleetReadModel() {}

    public sealed interface Command extends NoSerializationVerificationNeeded {}

    /** Every summary, in the servers table's order; an error until the model has read the fleet once. */
    public record Get(ActorRef<StatusReply<List<ServerSummary>>> replyTo) implements Command {}

    private record Pushed(ServerUpdate update) implements Command {}

    private record Reconcile() implements Command {}

    private record TableRead(@Nullable List<String> ids, @Nullable Throwable failure, long readAt)
            implements Command {}

    private record Answered(@Nullable List<ServerSummary> answers, long askedAt) implements Command {}

    /** Where the model reads the fleet when pushes are not enough. */
    public interface Sources {
        /** Every enrolled server's id, in the servers table's order, read off the caller's thread. */
        CompletionStage<List<String>> serverIds();

        /** The summaries of these servers' entities; a server whose entity does not answer is left out. */
        CompletionStage<List<ServerSummary>> summariesOf(List<String> serverIds);
    }

    public static Behavior<Command> create(ActorRef<Topic.Command<ServerUpdate>> topic, Sources sources,
            OverviewSettings settings, Clock clock) {
        requireNonNull(topic, "topic is null");
        requireNonNull(sources, "sources is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(clock, "clock is null");
        return Behaviors.setup(context -> Behaviors.withStash(settings.waitingReadersLimit(), stash ->
                Behaviors.withTimers(timers -> new Running(context, stash, timers, topic, sources, settings, clock))));
    }

    private static final class Running extends AbstractBehavior<Command> {
        private final StashBuffer<Command> waitingReaders;
        private final Sources sources;
        private final OverviewSettings settings;
        private final Clock clock;
        private final FleetFold fold = new FleetFold();

        private boolean seeded;
        private @Nullable Throwable seedFailure;
        private boolean reconciling;
        /** A new server was pushed during a reconcile: read the table again once it ends, for its place. */
        private boolean reconcileAgain;
        /**
         * Full asks done: the first at start, the second one reconcile interval later (it covers the topic's
         * subscription delay: in a cluster, the other nodes learn of a new subscriber by gossip), then one every
         * full-refresh interval.
         */
        private int fullAsks;
        private Instant lastFullAsk = Instant.MIN;

        Running(ActorContext<Command> context, StashBuffer<Command> waitingReaders, TimerScheduler<Command> timers,
                ActorRef<Topic.Command<ServerUpdate>> topic, Sources sources, OverviewSettings settings,
                Clock clock) {
            super(context);
            this.waitingReaders = waitingReaders;
            this.sources = sources;
            this.settings = settings;
            this.clock = clock;
            // Subscribe before the first read, so no change falls between the two.
            topic.tell(Topic.subscribe(context.messageAdapter(ServerUpdate.class, Pushed::new)));
            context.getSelf().tell(new Reconcile());
            timers.startTimerWithFixedDelay("reconcile", new Reconcile(), settings.reconcileInterval());
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Get.class, this::onGet)
                    .onMessage(Pushed.class, this::onPushed)
                    .onMessage(Reconcile.class, this::onReconcile)
                    .onMessage(TableRead.class, this::onTableRead)
                    .onMessage(Answered.class, this::onAnswered)
                    .build();
        }

        private Behavior<Command> onGet(Get get) {
            if (seeded) {
                get.replyTo().tell(StatusReply.success(fold.summaries()));
            } else if (seedFailure != null) {
                get.replyTo().tell(StatusReply.error("the fleet could not be read yet; try again"));
            } else if (waitingReaders.isFull()) {
                get.replyTo().tell(StatusReply.error("the fleet is still being read; try again"));
            } else {
                waitingReaders.stash(get);
            }
            return this;
        }

        private Behavior<Command> onPushed(Pushed pushed) {
            // Only summaries and deletions travel on the fleet topic; anything else is for one server's pages.
            if (pushed.update() instanceof ServerUpdate.Changed changed) {
                if (fold.changed(changed.summary())) {
                    // Enrolled since the table was read: read it now for the server's place (rare; coalesced).
                    reconcileSoon();
                }
            } else if (pushed.update() instanceof ServerUpdate.Removed removed) {
                fold.removed(removed.serverId());
            }
            return this;
        }

        private void reconcileSoon() {
            if (reconciling) {
                reconcileAgain = true;
            } else {
                getContext().getSelf().tell(new Reconcile());
            }
        }

        private Behavior<Command> onReconcile(Reconcile reconcile) {
            if (reconciling) {
                return this; // the previous round's asks are still out
            }
            reconciling = true;
            long readAt = fold.mark();
            getContext().pipeToSelf(sources.serverIds(), (ids, failure) -> new TableRead(ids, failure, readAt));
            return this;
        }

        private Behavior<Command> onTableRead(TableRead read) {
            if (read.failure() != null || read.ids() == null) {
                getContext().getLog().warn("Could not read the servers table for the fleet overview", read.failure());
                reconciling = false;
                if (!seeded) {
                    seedFailure = read.failure();
                    waitingReaders.unstashAll(this); // they hear the error now rather than time out
                }
                return this;
            }
            Instant now = clock.instant();
            boolean everyone = fullAsks == 0
                    || fullAsks == 1 && !now.isBefore(lastFullAsk.plus(settings.reconcileInterval()))
                    || !now.isBefore(lastFullAsk.plus(settings.fullRefreshInterval()));
            if (everyone) {
                fullAsks++;
                lastFullAsk = now;
            }
            List<String> toAsk = fold.reconcile(read.ids(), read.readAt(), now.minus(settings.staleAfter()), everyone);
            if (toAsk.isEmpty()) {
                return reconciled();
            }
            long askedAt = fold.mark();
            getContext().pipeToSelf(sources.summariesOf(toAsk), (answers, failure) -> new Answered(answers, askedAt));
            return this;
        }

        private Behavior<Command> onAnswered(Answered answered) {
            if (answered.answers() != null) {
                fold.answered(answered.answers(), answered.askedAt());
            }
            return reconciled();
        }

        private Behavior<Command> reconciled() {
            reconciling = false;
            if (reconcileAgain) {
                reconcileAgain = false;
                getContext().getSelf().tell(new Reconcile());
            }
            if (!seeded) {
                seeded = true;
                seedFailure = null;
                getContext().getLog().info("Fleet overview read: [{}] servers", fold.summaries().size());
                return waitingReaders.unstashAll(this);
            }
            return this;
        }
    }
}
