package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Blocking;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every node: writes down the member events this node sees (the table keeps one copy of what several nodes
 * saw) and, from a poll of the shards this node hosts, the failover phases that happen here — shards arriving after
 * another member was lost, and their entities running again.
 */
final class ClusterRecorder {
    private static final Logger log = LoggerFactory.getLogger(ClusterRecorder.class);

    sealed interface Message {}

    /** A member, reachability or leader event from the cluster. */
    record Changed(ClusterEvent.ClusterDomainEvent event) implements Message {}

    /** The cluster as it was when this recorder subscribed. */
    record Snapshot(ClusterEvent.CurrentClusterState state) implements Message {}

    record PollShards() implements Message {}

    record ShardsSeen(Instant at, ShardArrivals.LocalShards shards) implements Message {}

    record PollFailed(Throwable failure) implements Message {}

    record Prune() implements Message {}

    /** What the recorder needs. */
    record Dependencies(ClusterEventStore store, Blocking blocking, ClusterSharding sharding,
            HostedEntities entities, ClusterViewSettings settings, Clock clock) {
        Dependencies {
            requireNonNull(store, "store is null");
            requireNonNull(blocking, "blocking is null");
            requireNonNull(sharding, "sharding is null");
            requireNonNull(entities, "entities is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(clock, "clock is null");
        }
    }

    private final ActorContext<Message> context;
    /** Read off the actor's thread (in completions of database writes), unlike the context. */
    private final CoordinatedShutdown shutdown;
    private final Dependencies dependencies;
    private final Member self;
    private final String selfAddress;
    private final ShardArrivals arrivals;
    private boolean polling;

    private ClusterRecorder(ActorContext<Message> context, Dependencies dependencies) {
        this.context = context;
        this.shutdown = CoordinatedShutdown.get(Adapter.toClassic(context.getSystem()));
        this.dependencies = dependencies;
        this.self = org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(context.getSystem())).selfMember();
        this.selfAddress = self.address().toString();
        this.arrivals = new ShardArrivals(dependencies.settings().failoverWindow(),
                dependencies.settings().handoffLead());
    }

    static Behavior<Message> create(Dependencies dependencies) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            ClusterRecorder recorder = new ClusterRecorder(context, dependencies);
            ActorRef<ClusterEvent.ClusterDomainEvent> events =
                    context.messageAdapter(ClusterEvent.ClusterDomainEvent.class, Changed::new);
            context.messageAdapter(ClusterEvent.CurrentClusterState.class, Snapshot::new);
            // The classic subscription, for its initial state as one snapshot: typed subscriptions replay the current
            // state as events, which would stamp members that came up long ago with the time of this subscription.
            org.apache.pekko.cluster.Cluster classic =
                    org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(context.getSystem()));
            classic.subscribe(Adapter.toClassic(events), ClusterEvent.initialStateAsSnapshot(),
                    ClusterEvent.MemberEvent.class, ClusterEvent.ReachabilityEvent.class,
                    ClusterEvent.LeaderChanged.class);
            timers.startTimerWithFixedDelay("poll-shards", new PollShards(),
                    dependencies.settings().shardPollInterval());
            timers.startTimerWithFixedDelay("prune", new Prune(), java.time.Duration.ZERO,
                    dependencies.settings().pruneInterval());
            return Behaviors.receive(Message.class)
                    .onMessage(Changed.class, changed -> recorder.onChanged(changed.event()))
                    .onMessage(Snapshot.class, snapshot -> recorder.onSnapshot(snapshot.state()))
                    .onMessage(PollShards.class, poll -> recorder.poll())
                    .onMessage(ShardsSeen.class, seen -> recorder.onShards(seen))
                    .onMessage(PollFailed.class, failed -> recorder.onPollFailed(failed.failure()))
                    .onMessage(Prune.class, prune -> recorder.prune())
                    .onSignal(PostStop.class, stopped -> {
                        classic.unsubscribe(Adapter.toClassic(events));
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private Behavior<Message> onChanged(ClusterEvent.ClusterDomainEvent event) {
        Instant at = dependencies.clock().instant();
        translate(event, at).ifPresent(recorded -> {
            if (recorded.kind().isLoss() && recorded.incarnation() != self.uniqueAddress().longUid()) {
                arrivals.memberLost(at);
            }
            write(recorded);
        });
        return Behaviors.same();
    }

    /** This node's own Up happened before the recorder started: written now, unless another node saw it happen. */
    private Behavior<Message> onSnapshot(ClusterEvent.CurrentClusterState state) {
        for (Member member : state.getMembers()) {
            if (member.uniqueAddress().equals(self.uniqueAddress()) && member.status().equals(MemberStatus.up())) {
                write(about(member, ClusterEventKind.UP, dependencies.clock().instant(), roles(member)));
            }
        }
        return Behaviors.same();
    }

    private Optional<RecordedEvent> translate(ClusterEvent.ClusterDomainEvent event, Instant at) {
        if (event instanceof ClusterEvent.MemberUp up) {
            return Optional.of(about(up.member(), ClusterEventKind.UP, at, roles(up.member())));
        } else if (event instanceof ClusterEvent.UnreachableMember unreachable) {
            return Optional.of(about(unreachable.member(), ClusterEventKind.UNREACHABLE, at, null));
        } else if (event instanceof ClusterEvent.ReachableMember reachable) {
            return Optional.of(about(reachable.member(), ClusterEventKind.REACHABLE, at, null));
        } else if (event instanceof ClusterEvent.MemberLeft left) {
            return Optional.of(about(left.member(), ClusterEventKind.LEFT, at, null));
        } else if (event instanceof ClusterEvent.MemberExited exited) {
            return Optional.of(about(exited.member(), ClusterEventKind.EXITED, at, null));
        } else if (event instanceof ClusterEvent.MemberDowned downed) {
            return Optional.of(about(downed.member(), ClusterEventKind.DOWNED, at, null));
        } else if (event instanceof ClusterEvent.MemberRemoved removed) {
            return Optional.of(about(removed.member(), ClusterEventKind.REMOVED, at,
                    "was " + MemberState.of(removed.previousStatus()).wireName()));
        } else if (event instanceof ClusterEvent.LeaderChanged leader && leader.getLeader() != null) {
            // An address only: incarnation 0, so every node's copy has the same key.
            return Optional.of(new RecordedEvent(leader.getLeader().toString(), 0, ClusterEventKind.LEADER, at,
                    selfAddress, null));
        }
        return Optional.empty(); // joining, weakly up, preparing for shutdown: not part of the history
    }

    private RecordedEvent about(Member member, ClusterEventKind kind, Instant at, @Nullable String detail) {
        return new RecordedEvent(member.address().toString(), member.uniqueAddress().longUid(), kind, at, selfAddress,
                detail);
    }

    private static String roles(Member member) {
        List<String> roles = member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().toList();
        return roles.isEmpty() ? "no roles" : "roles " + String.join(", ", roles);
    }

    private Behavior<Message> poll() {
        if (polling) {
            return Behaviors.same(); // the previous look has not come back yet
        }
        polling = true;
        List<CompletableFuture<Map.Entry<String, Map<String, Integer>>>> looks = new ArrayList<>();
        for (HostedEntities.Type type : dependencies.entities().types()) {
            looks.add(localShards(type).toCompletableFuture());
        }
        CompletionStage<ShardArrivals.LocalShards> all = CompletableFuture.allOf(looks.toArray(CompletableFuture[]::new))
                .thenApply(done -> new ShardArrivals.LocalShards(looks.stream().map(CompletableFuture::join)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        context.pipeToSelf(all, (shards, failure) -> failure == null
                ? new ShardsSeen(dependencies.clock().instant(), shards) : new PollFailed(failure));
        return Behaviors.same();
    }

    /** The shards of one type this node hosts, with how many entities run in each. */
    private CompletionStage<Map.Entry<String, Map<String, Integer>>> localShards(HostedEntities.Type type) {
        return AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                        dependencies.sharding().shardState(), replyTo -> new GetShardRegionState(type.key(), replyTo),
                        dependencies.settings().statsTimeout(), context.getSystem().scheduler())
                .thenApply(state -> {
                    Map<String, Integer> byShard = new HashMap<>();
                    state.getShards().forEach(shard -> byShard.put(shard.shardId(), shard.getEntityIds().size()));
                    return Map.entry(type.name(), byShard);
                });
    }

    private Behavior<Message> onShards(ShardsSeen seen) {
        polling = false;
        for (ShardArrivals.Phase phase : arrivals.observe(seen.at(), seen.shards())) {
            log.info("Failover phase on this node: [{}] at [{}]: [{}]", phase.kind().wireName(), phase.at(),
                    phase.detail());
            write(new RecordedEvent(selfAddress, self.uniqueAddress().longUid(), phase.kind(), phase.at(), selfAddress,
                    phase.detail()));
        }
        return Behaviors.same();
    }

    private Behavior<Message> onPollFailed(Throwable failure) {
        polling = false;
        log.debug("Could not list the shards this node hosts", failure);
        return Behaviors.same();
    }

    private Behavior<Message> prune() {
        Instant cutoff = dependencies.clock().instant().minus(dependencies.settings().retention());
        dependencies.blocking().supply(() -> dependencies.store().prune(cutoff)).whenComplete((deleted, failure) -> {
            if (failure != null) {
                log.warn("Could not delete old cluster events", failure);
            } else if (deleted > 0) {
                log.info("Deleted [{}] cluster events older than [{}]", deleted, cutoff);
            }
        });
        return Behaviors.same();
    }

    private void write(RecordedEvent event) {
        dependencies.blocking().supply(() -> dependencies.store().record(event)).whenComplete((written, failure) -> {
            if (failure == null) {
                if (written) {
                    log.debug("Recorded cluster event [{}] of [{}]", event.kind().wireName(), event.member());
                }
            } else if (shutdown.getShutdownReason().isPresent()) {
                // This node is stopping and its database may be closing; the others record what it misses.
                log.debug("Could not record cluster event [{}] of [{}] while stopping", event.kind(), event.member());
            } else {
                log.warn("Could not record cluster event [{}] of [{}]", event.kind().wireName(), event.member(),
                        failure);
            }
        });
    }
}
