package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.database.SharedAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.jspecify.annotations.Nullable;

/** The cluster view's answers to the HTTP edge: the members and their work, the history, this node's readiness. */
public final class ClusterView {
    /** A probe's answer may be this old: shorter than any load balancer's probe interval is useful. */
    private static final Duration READINESS_MAX_AGE = Duration.ofSeconds(1);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ClusterEventStore store;
    private final Database database;
    private final Blocking blocking;
    private final ClusterViewSettings settings;
    private final HostedEntities entities;
    private final FailoverHistory history;
    /** Sharding readiness is a start-up condition: once registered, a coordinator moving elsewhere does not undo it. */
    private final AtomicBoolean shardingRegistered = new AtomicBoolean();
    /** /readyz's answer, worked out at most once a second however often load balancers probe. */
    private final SharedAnswer<Readiness> readiness;

    ClusterView(ActorSystem<?> system, ClusterSharding sharding, ClusterEventStore store, Database database,
            Blocking blocking, ClusterViewSettings settings, HostedEntities entities) {
        this.system = requireNonNull(system, "system is null");
        this.sharding = requireNonNull(sharding, "sharding is null");
        this.store = requireNonNull(store, "store is null");
        this.database = requireNonNull(database, "database is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.entities = requireNonNull(entities, "entities is null");
        this.history = new FailoverHistory(settings.failoverWindow(), settings.handoffLead());
        this.readiness = new SharedAnswer<>(this::freshReadiness, READINESS_MAX_AGE, Clock.systemUTC());
    }

    /**
     * Starts this node's recorder of cluster events and returns the view. Call once per node, after its entity types
     * are initialised with sharding.
     */
    public static ClusterView start(ActorSystem<?> system, Database database, Blocking blocking,
            ClusterViewSettings settings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ClusterEventStore store = new ClusterEventStore(database.dataSource(), settings.dedupWindow());
        HostedEntities entities = HostedEntities.STEWARD;
        system.systemActorOf(ClusterRecorder.create(new ClusterRecorder.Dependencies(store, blocking, sharding,
                entities, settings, Clock.systemUTC())), "cluster-recorder", Props.empty());
        return new ClusterView(system, sharding, store, database, blocking, settings, entities);
    }

    /** The members, what each hosts, and the history; entity counts are null where a region did not answer. */
    public CompletionStage<ClusterSnapshot> snapshot() {
        ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
        Member self = Cluster.get(system).selfMember();
        List<Member> members = StreamSupport.stream(state.getMembers().spliterator(), false).toList();
        List<CompletableFuture<Stats>> stats = new ArrayList<>();
        for (HostedEntities.Type type : entities.types()) {
            stats.add(stats(type).toCompletableFuture());
        }
        CompletableFuture<List<RecordedEvent>> events = blocking.supply(() -> store.newest(settings.historyLimit()));
        CompletableFuture<Map<Long, Instant>> upSince = blocking.supply(() -> store.upSince(
                members.stream().map(member -> member.uniqueAddress().longUid()).toList()));
        return CompletableFuture.allOf(stats.toArray(CompletableFuture[]::new)).thenCombine(events, (done, recorded) ->
                upSince.thenApply(since -> snapshot(state, self, members, stats.stream()
                        .map(CompletableFuture::join).toList(), recorded, since))).thenCompose(next -> next);
    }

    private ClusterSnapshot snapshot(ClusterEvent.CurrentClusterState state, Member self, List<Member> members,
            List<Stats> stats, List<RecordedEvent> events, Map<Long, Instant> upSince) {
        Address leader = state.getLeader();
        Optional<Member> oldest = members.stream()
                .filter(member -> member.status().equals(MemberStatus.up())
                        || member.status().equals(MemberStatus.leaving()))
                .reduce((one, other) -> other.isOlderThan(one) ? other : one);
        Set<Address> unreachable = new HashSet<>();
        state.getUnreachable().forEach(member -> unreachable.add(member.address()));
        List<ClusterSnapshot.Member> views = new ArrayList<>();
        for (Member member : members) {
            List<ClusterSnapshot.Hosted> hosted = stats.stream().map(typeStats -> typeStats.of(member.address()))
                    .toList();
            views.add(new ClusterSnapshot.Member(member.address().toString(), MemberState.of(member.status()),
                    member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().toList(),
                    upSince.get(member.uniqueAddress().longUid()), !unreachable.contains(member.address()),
                    member.uniqueAddress().equals(self.uniqueAddress()), member.address().equals(leader),
                    oldest.map(found -> found.uniqueAddress().equals(member.uniqueAddress())).orElse(false), hosted));
        }
        List<String> problems = stats.stream().map(Stats::problem).filter(problem -> problem != null).toList();
        return new ClusterSnapshot(self.address().toString(), leader == null ? null : leader.toString(),
                oldest.map(member -> member.address().toString()).orElse(null),
                entities.types().stream().map(HostedEntities.Type::name).toList(), views,
                problems.isEmpty() ? null : String.join("; ", problems), history.failovers(events),
                events.stream().map(ClusterSnapshot.Event::of).toList());
    }

    /** One entity type's placement as the coordinator gathered it, or why it is unknown. */
    private record Stats(String type, Map<Address, ShardRegion.ShardRegionStats> regions, @Nullable String problem) {
        ClusterSnapshot.Hosted of(Address member) {
            if (regions.isEmpty() && problem != null) {
                return new ClusterSnapshot.Hosted(type, null, null);
            }
            ShardRegion.ShardRegionStats region = regions.get(member);
            if (region == null) {
                return new ClusterSnapshot.Hosted(type, 0, 0); // no region there (a node without the entity role)
            }
            int entities = region.getStats().values().stream().mapToInt(count -> ((Number) count).intValue()).sum();
            return new ClusterSnapshot.Hosted(type, region.getStats().size(), entities);
        }
    }

    private CompletionStage<Stats> stats(HostedEntities.Type type) {
        // The coordinator waits statsTimeout for each region; the ask allows it that and as long again to answer.
        Duration askTimeout = settings.statsTimeout().plus(settings.statsTimeout());
        return AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(sharding.shardState(),
                        replyTo -> new GetClusterShardingStats(type.key(), settings.statsTimeout(), replyTo),
                        askTimeout, system.scheduler())
                .thenApply(answer -> {
                    Map<Address, ShardRegion.ShardRegionStats> regions = new HashMap<>(answer.getRegions());
                    List<String> late = regions.entrySet().stream()
                            .filter(region -> !region.getValue().getFailed().isEmpty())
                            .map(region -> region.getValue().getFailed().size() + " " + type.name()
                                    + " shards on " + region.getKey() + " did not answer")
                            .toList();
                    return new Stats(type.name(), regions, late.isEmpty() ? null : String.join("; ", late));
                })
                .exceptionally(failure -> new Stats(type.name(), Map.of(), "the " + type.name()
                        + " shard coordinator did not answer within " + askTimeout.toMillis() + " ms"));
    }

    /**
     * Whether a load balancer should send this node traffic; see {@link Readiness}. The answer is up to a second old.
     */
    public CompletionStage<Readiness> readiness() {
        return readiness.get();
    }

    private CompletionStage<Readiness> freshReadiness() {
        MemberState member = MemberState.of(Cluster.get(system).selfMember().status());
        CompletableFuture<Boolean> databaseUp = blocking.supply(
                () -> database.isReachable(settings.readinessTimeout()));
        return databaseUp.exceptionally(failure -> false)
                .thenCombine(shardingProblem(), (up, sharding) -> Readiness.of(member, up, sharding));
    }

    /**
     * Empty when every entity type's coordinator knows this node's region (or, on a node without the entity role,
     * knows some region to route to); else what is missing. Asked of the coordinator until it first succeeds.
     */
    private CompletionStage<String> shardingProblem() {
        if (shardingRegistered.get()) {
            return CompletableFuture.completedFuture("");
        }
        Member self = Cluster.get(system).selfMember();
        boolean hosts = settings.entityRole().isEmpty() || self.getRoles().contains(settings.entityRole());
        org.apache.pekko.cluster.sharding.ClusterSharding classic =
                org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system));
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (HostedEntities.Type type : entities.types()) {
            CompletionStage<String> check;
            try {
                check = Patterns.ask(classic.shardRegion(type.key().name()), ShardRegion.getCurrentRegionsInstance(),
                                settings.readinessTimeout())
                        .thenApply(answer -> {
                            Set<Address> regions = ((ShardRegion.CurrentRegions) answer).getRegions();
                            if (hosts ? regions.contains(self.address()) : !regions.isEmpty()) {
                                return "";
                            }
                            return hosts ? "the " + type.name() + " shard coordinator does not know this node yet"
                                    : "no node hosts " + type.name() + " entities yet";
                        })
                        .exceptionally(failure -> "the " + type.name() + " shard coordinator did not answer");
            } catch (IllegalStateException | IllegalArgumentException notStarted) {
                check = CompletableFuture.completedFuture(type.name() + " sharding is not started on this node");
            }
            checks.add(check.toCompletableFuture());
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> problems = checks.stream().map(CompletableFuture::join).filter(p -> !p.isEmpty()).toList();
            if (problems.isEmpty()) {
                shardingRegistered.set(true);
            }
            return String.join("; ", problems);
        });
    }
}
