package io.steward.node.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.Vantages;
import io.steward.node.checks.CheckAssignments.Plan;
import io.steward.node.database.Blocking;
import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Plans made at once: the newest by when it was asked wins, whichever finishes last. The blocking reads run when
 * the test says (a queue instead of threads), so the orders threads could take are played out one by one.
 */
class CheckPlannerTest {
    private final Deque<Runnable> reads = new ArrayDeque<>();
    private final List<CheckCatalog.Entry> catalog = new CopyOnWriteArrayList<>();
    private volatile boolean databaseDown;
    private final CheckPlanner planner = new CheckPlanner(new Blocking(reads::add), () -> {
        if (databaseDown) {
            throw new java.sql.SQLException("connection refused");
        }
        return List.copyOf(catalog);
    }, List::of, () -> CompletableFuture.completedFuture(List.of(server("web-1"))));

    @Test
    void aPlanAskedBeforeACheckWasCreatedAndFinishingLastDoesNotForgetIt() {
        catalog.add(check("old"));
        CompletionStage<Plan> asked = planner.plan(); // e.g. a "run now" of the old check
        runRead(); // it reads the catalog before the new check is committed; its second read waits
        catalog.add(check("new"));
        CompletionStage<Plan> afterCreate = planner.plan(); // the new check's refresh

        runNewestRead(); // the refresh reads the catalog...
        runNewestRead(); // ...and its local vantages, and is done first
        assertThat(done(afterCreate).vantagesByCheck()).containsOnlyKeys("old", "new");
        runRead(); // then the earlier plan finishes
        assertThat(reads).isEmpty();

        assertThat(done(asked).vantagesByCheck()).as("its caller gets the newer plan").containsOnlyKeys("old", "new");
        assertThat(planner.current().vantagesByCheck()).containsOnlyKeys("old", "new");
    }

    @Test
    void plansFinishingInTheOrderAskedAreEachAdopted() {
        assertThat(planner.current().vantagesByCheck()).isEmpty();
        catalog.add(check("a"));
        CompletionStage<Plan> first = planner.plan();
        runAllReads();
        assertThat(done(first).vantagesByCheck()).containsOnlyKeys("a");
        assertThat(planner.current()).isSameAs(done(first));

        catalog.add(check("b"));
        CompletionStage<Plan> second = planner.plan();
        runAllReads();
        assertThat(done(second).vantagesByCheck()).containsOnlyKeys("a", "b");
        assertThat(planner.current()).isSameAs(done(second));
    }

    @Test
    void aNewerPlanThatFailedDoesNotHoldAnOlderOneBack() {
        catalog.add(check("a"));
        CompletionStage<Plan> older = planner.plan();
        CompletionStage<Plan> newer = planner.plan();
        runRead(); // the older plan reads the catalog
        databaseDown = true;
        runRead(); // the newer plan's read fails
        databaseDown = false;
        assertThat(newer.toCompletableFuture()).isCompletedExceptionally();
        runRead(); // the older plan reads its local vantages and is done

        assertThat(done(older).vantagesByCheck()).containsOnlyKeys("a");
        assertThat(planner.current().vantagesByCheck()).containsOnlyKeys("a");
    }

    /** Runs the read queued first. */
    private void runRead() {
        assertThat(reads).as("a read waiting").isNotEmpty();
        reads.removeFirst().run();
    }

    /** Runs the read queued last: a later plan's read overtaking an earlier one's on another thread. */
    private void runNewestRead() {
        assertThat(reads).as("a read waiting").isNotEmpty();
        reads.removeLast().run();
    }

    private void runAllReads() {
        while (!reads.isEmpty()) {
            reads.removeFirst().run();
        }
    }

    private static Plan done(CompletionStage<Plan> plan) {
        CompletableFuture<Plan> future = plan.toCompletableFuture();
        assertThat(future).as("the plan is done").isDone();
        return future.join();
    }

    private static CheckCatalog.Entry check(String id) {
        CheckDefinition definition = new CheckDefinition.Http(id, "http://127.0.0.1:1/", null, null, null, null,
                null, null, null, null, 1, null, new Vantages(Vantages.Kind.SERVERS, List.of("web-1")), null);
        return new CheckCatalog.Entry(id, new CheckSpec(definition, null));
    }

    private static ServerSummary server(String id) {
        return new ServerSummary(id, id, null, null, List.of(), null, true, Instant.now(), "1", Instant.now(), null,
                List.of(), null, null, null, null, null, 0, 0);
    }
}
