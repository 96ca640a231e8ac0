package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.node.checks.CheckAssignments.Plan;
import io.steward.node.database.Blocking;
import io.steward.node.server.ServerSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Makes assignment plans (the checks and local vantages read on the blocking executor, the fleet's summaries) and
 * keeps the newest by when it was asked for, not by when it finished. Plans are made concurrently (a check's change,
 * an agent connecting, a "run now"), and one asked before a check was created can finish after one asked since:
 * adopting whichever finished last would forget the new check until the next minute's refresh, its results dropped
 * and its agents sent the older list.
 */
final class CheckPlanner {
    private static final Plan EMPTY = new Plan(Map.of(), Map.of());

    private final Blocking blocking;
    private final Blocking.Work<List<CheckCatalog.Entry>> checks;
    private final Blocking.Work<List<String>> localVantages;
    private final Supplier<CompletionStage<List<ServerSummary>>> fleet;

    /** Plans asked for so far: a plan's ticket, taken before it reads anything; guarded by this. */
    private long asked;
    /** The ticket of the plan adopted; guarded by this. */
    private long adoptedTicket;
    private volatile Plan adopted = EMPTY;

    CheckPlanner(Blocking blocking, Blocking.Work<List<CheckCatalog.Entry>> checks,
            Blocking.Work<List<String>> localVantages, Supplier<CompletionStage<List<ServerSummary>>> fleet) {
        this.blocking = requireNonNull(blocking, "blocking is null");
        this.checks = requireNonNull(checks, "checks is null");
        this.localVantages = requireNonNull(localVantages, "localVantages is null");
        this.fleet = requireNonNull(fleet, "fleet is null");
    }

    /**
     * The plan for the fleet and checks as they are now: this one, or a newer one asked for after it that finished
     * first. Whatever was committed before the call is in it.
     */
    CompletionStage<Plan> plan() {
        long ticket;
        synchronized (this) {
            ticket = ++asked;
        }
        return blocking.supply(checks).thenCompose(all -> {
            if (all.isEmpty()) {
                // Nothing to resolve: no need to ask every server's entity for its summary.
                return CompletableFuture.completedFuture(offer(ticket, EMPTY));
            }
            return fleet.get().thenCombine(blocking.supply(localVantages), (servers, localIds) ->
                    offer(ticket, resolve(all, servers, localIds)));
        });
    }

    /** The newest plan made so far. */
    Plan current() {
        return adopted;
    }

    /** Adopts {@code plan} unless one asked for later has been adopted; answers the newest adopted. */
    private synchronized Plan offer(long ticket, Plan plan) {
        if (ticket > adoptedTicket) {
            adoptedTicket = ticket;
            adopted = plan;
        }
        return adopted;
    }

    static Plan resolve(List<CheckCatalog.Entry> checks, List<ServerSummary> servers, List<String> localIds) {
        Map<String, List<String>> vantagesByCheck = new LinkedHashMap<>();
        Map<String, List<AssignedCheck>> checksByServer = new HashMap<>();
        servers.forEach(server -> checksByServer.put(server.id(), new ArrayList<>()));
        for (CheckCatalog.Entry check : checks) {
            List<String> vantages = VantageResolver.resolve(check.spec().definition().vantages(), servers, localIds);
            vantagesByCheck.put(check.id(), vantages);
            AssignedCheck assigned = new AssignedCheck(check.id(), check.spec().definition());
            vantages.forEach(server -> checksByServer.get(server).add(assigned));
        }
        checksByServer.replaceAll((server, list) -> List.copyOf(list));
        return new Plan(vantagesByCheck, checksByServer);
    }
}
