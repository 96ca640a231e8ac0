package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.protocol.NodeMessage;
import io.steward.node.database.Blocking;
import io.steward.node.database.SharedAnswer;
import io.steward.node.server.ChannelCommand;
import io.steward.node.server.FleetDirectory;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who runs which check: resolves every check's vantage selection against the fleet, tells each check entity its
 * vantages and each server's agent its checks (through the server's entity, wherever its connection lives). Run
 * after every change of a check, when an agent connects, and every minute for changes of the fleet (a new server
 * in a group, a tag added). Every assignment replaces the agent's whole list, so a lost one is repaired by the next.
 */
public final class CheckAssignments {
    private static final Logger log = LoggerFactory.getLogger(CheckAssignments.class);

    private final ClusterSharding sharding;
    /** The plans; its newest says which results this node accepts (a check's results come from its vantages). */
    private final CheckPlanner planner;
    private final Duration askTimeout;
    /**
     * Whether this node is stopping: nothing more goes to sharding then. A plan finishing after the regions handed
     * their shards off would be buffered for a shard no coordinator places any more, and hold the stop for seconds.
     */
    private final BooleanSupplier stopping;
    /** What each server's agent was last sent from this node, so an unchanged list is not sent again. */
    private final Map<String, List<AssignedCheck>> sent = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastRefreshAsked = new java.util.concurrent.atomic.AtomicLong();

    /** Every check's vantages and every server's checks, as resolved at one moment. */
    public record Plan(Map<String, List<String>> vantagesByCheck, Map<String, List<AssignedCheck>> checksByServer) {
        public List<AssignedCheck> checksOf(String serverId) {
            return checksByServer.getOrDefault(serverId, List.of());
        }
    }

    public CheckAssignments(ClusterSharding sharding, CheckCatalog catalog, FleetDirectory fleet, Blocking blocking,
            Duration askTimeout, BooleanSupplier stopping) {
        this.sharding = requireNonNull(sharding, "sharding is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(fleet, "fleet is null");
        // The fleet's summaries (one ask of every server's entity) are shared by the plans made within a second of
        // each other: hundreds of agents connecting after a failover each want their list, and each asking the whole
        // fleet would be n² asks.
        SharedAnswer<List<ServerSummary>> fleetSummaries = new SharedAnswer<>(fleet::summaries,
                Duration.ofSeconds(1), java.time.Clock.systemUTC());
        this.planner = new CheckPlanner(requireNonNull(blocking, "blocking is null"), catalog::all,
                catalog::localVantages, fleetSummaries::get);
        this.askTimeout = requireNonNull(askTimeout, "askTimeout is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
    }

    /**
     * The plan for the fleet and checks as they are now: this one, or a newer one asked for after it that finished
     * first (see {@link CheckPlanner}).
     */
    public CompletionStage<Plan> plan() {
        return planner.plan();
    }

    /** Whether {@code serverId} runs {@code checkId} by this node's newest plan. */
    public boolean runs(String serverId, String checkId) {
        List<String> vantages = planner.current().vantagesByCheck().get(checkId);
        return vantages != null && vantages.contains(serverId);
    }

    /**
     * Refreshes soon, at most once every 5 s however often asked: results for a check this node's plan does not know
     * yet (created through another node) ask for it.
     */
    public void refreshSoon() {
        long now = System.nanoTime();
        long last = lastRefreshAsked.get();
        if (now - last > Duration.ofSeconds(5).toNanos() && lastRefreshAsked.compareAndSet(last, now)) {
            refresh().whenComplete((plan, failure) -> {
                if (failure != null) {
                    log.warn("Could not refresh the check assignments", failure);
                }
            });
        }
    }

    /** Resolves everything again and sends what changed (to every check; to agents whose list changed). */
    public CompletionStage<Plan> refresh() {
        return plan().thenCompose(plan -> {
            if (stopping.getAsBoolean()) {
                return CompletableFuture.completedFuture(plan);
            }
            plan.vantagesByCheck().forEach((checkId, vantages) -> sharding.entityRefFor(CheckEntity.TYPE_KEY, checkId)
                    .tell(new CheckCommand.AssignVantages(vantages)));
            List<CompletableFuture<Boolean>> sends = new ArrayList<>();
            plan.checksByServer().forEach((serverId, checks) -> {
                if (!checks.equals(sent.get(serverId))) {
                    sends.add(send(serverId, checks).toCompletableFuture());
                }
            });
            // The last check deleted: the plan skips the fleet, so it lists no agent to send the empty list to.
            // Every agent this node gave checks is told to stop them, once (forgotten whatever the answer). Only
            // then: a server merely missing from a plan may be one whose entity did not answer in time.
            if (plan.vantagesByCheck().isEmpty()) {
                sent.forEach((serverId, checks) -> {
                    if (!checks.isEmpty() && sent.remove(serverId, checks)) {
                        sends.add(send(serverId, List.of()).toCompletableFuture());
                    }
                });
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(done -> plan);
        });
    }

    /** Sends {@code serverId}'s agent its list now (it just connected). */
    public CompletionStage<Boolean> assignTo(String serverId) {
        sent.remove(serverId);
        return plan().thenCompose(plan -> {
            if (plan.vantagesByCheck().isEmpty() || plan.checksByServer().containsKey(serverId)) {
                return send(serverId, plan.checksOf(serverId));
            }
            // The fleet listing this plan shared may predate this server's first attach: once more after the share.
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(1100, TimeUnit.MILLISECONDS))
                    .thenCompose(waited -> plan())
                    .thenCompose(again -> send(serverId, again.checksOf(serverId)));
        });
    }

    /** Asks the connected vantages of {@code checkId} to run it now; answers the servers that were asked. */
    public CompletionStage<List<String>> runNow(String checkId) {
        return plan().thenCompose(plan -> {
            List<String> vantages = plan.vantagesByCheck().getOrDefault(checkId, List.of());
            List<CompletableFuture<String>> asks = new ArrayList<>();
            for (String serverId : vantages) {
                asks.add(forward(serverId, new NodeMessage.ChecksRun(List.of(checkId)))
                        .thenApply(connected -> connected ? serverId : null).toCompletableFuture());
            }
            return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> asks.stream()
                    .map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
        });
    }

    private CompletionStage<Boolean> send(String serverId, List<AssignedCheck> checks) {
        return forward(serverId, new NodeMessage.ChecksAssign(checks)).thenApply(connected -> {
            if (connected) {
                sent.put(serverId, checks);
            }
            return connected;
        });
    }

    private CompletionStage<Boolean> forward(String serverId, NodeMessage frame) {
        if (stopping.getAsBoolean()) {
            return CompletableFuture.completedFuture(false);
        }
        return sharding.entityRefFor(ServerEntity.TYPE_KEY, serverId)
                .<Boolean>askWithStatus(replyTo -> new ChannelCommand.Forward(frame, replyTo), askTimeout)
                .exceptionally(failure -> {
                    log.debug("Could not pass a check frame to server [{}]: {}", serverId, failure.getMessage());
                    return false;
                });
    }
}
