package io.steward.node.overview;

import static io.steward.core.testing.Eventually.eventually;
import static io.steward.node.overview.FleetFoldTest.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.typesafe.config.ConfigFactory;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServerUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read model as an actor on a real topic, with hand-written sources in place of the servers table and the
 * entities: readers wait for the first read of the fleet, then are answered from the pushes alone.
 */
class FleetReadModelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    // No reconcile after the first read within a test: what changes afterwards can only come from the topic.
    private static final OverviewSettings SETTINGS =
            new OverviewSettings(Duration.ofHours(1), Duration.ofMinutes(2), Duration.ofHours(2), 100);

    private static ActorTestKit kit;

    private ActorRef<Topic.Command<ServerUpdate>> topic;
    private FakeFleet fleet;

    @BeforeAll
    static void startKit() {
        kit = ActorTestKit.create("fleet-read-model",
                ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void freshTopic() {
        topic = kit.spawn(Topic.create(ServerUpdate.class, "fleet-" + System.nanoTime()));
        fleet = new FakeFleet();
    }

    private FleetOverview start() {
        ActorRef<FleetReadModel.Command> model = kit.spawn(FleetReadModel.create(topic, fleet, SETTINGS,
                Clock.fixed(NOW, ZoneOffset.UTC)));
        return new FleetOverview(model, kit.system().scheduler(), WAIT);
    }

    private static List<ServerSummary> read(FleetOverview overview) throws Exception {
        return overview.summaries().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void readersWaitForTheFirstReadThenAreAnsweredWithoutAskingAnyEntity() throws Exception {
        fleet.table.addAll(List.of("b", "a", "never-attached"));
        fleet.entities.put("a", summary("a", "alpha", true, NOW, 1.0));
        fleet.entities.put("b", summary("b", "beta", false, NOW, 2.0));
        fleet.holdTable = new CompletableFuture<>();

        FleetOverview overview = start();
        CompletableFuture<List<ServerSummary>> early = overview.summaries().toCompletableFuture();
        eventually(WAIT, () -> assertThat(fleet.tableReads).hasValue(1));
        assertThat(early).as("no answer before the fleet was read").isNotDone();

        fleet.holdTable.complete(null);
        assertThat(early.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).extracting(ServerSummary::id)
                .containsExactly("b", "a");
        assertThat(fleet.asked).containsExactly(List.of("b", "a", "never-attached"));

        for (int i = 0; i < 5; i++) {
            assertThat(read(overview)).extracting(ServerSummary::hostname).containsExactly("beta", "alpha");
        }
        assertThat(fleet.asked).as("reads after the first cost no ask").hasSize(1);
        assertThat(fleet.tableReads).hasValue(1);
    }

    @Test
    void pushesOnTheTopicKeepTheFleetCurrent() throws Exception {
        fleet.table.addAll(List.of("a", "b"));
        fleet.entities.put("a", summary("a", "alpha", true, NOW, 1.0));
        fleet.entities.put("b", summary("b", "beta", true, NOW, 2.0));
        FleetOverview overview = start();
        assertThat(read(overview)).hasSize(2);

        fleet.table.add("c"); // enrolled (its row written) before its entity's first push
        topic.tell(Topic.publish(new ServerUpdate.Changed(summary("a", "alpha", false, NOW.plusSeconds(3), 80.0))));
        topic.tell(Topic.publish(new ServerUpdate.Removed("b")));
        topic.tell(Topic.publish(new ServerUpdate.Changed(summary("c", "gamma", true, NOW.plusSeconds(3), 5.0))));

        eventually(WAIT, () -> assertThat(read(overview))
                .extracting(ServerSummary::id, ServerSummary::online, ServerSummary::cpuPercent)
                .containsExactly(tuple("a", false, 80.0),
                        tuple("c", true, 5.0)));
        assertThat(fleet.asked).as("only the first read asked the entities").hasSize(1);
    }

    @Test
    void serversEnrolledLaterTakeTheirPlaceInTheTablesOrderWhateverOrderTheirPushesCameIn() throws Exception {
        fleet.table.add("a");
        fleet.entities.put("a", summary("a", "alpha", true, NOW, 1.0));
        FleetOverview overview = start();
        assertThat(read(overview)).hasSize(1);

        fleet.table.addAll(List.of("n1", "n2"));
        topic.tell(Topic.publish(new ServerUpdate.Changed(summary("n2", "second", true, NOW, 1.0))));
        topic.tell(Topic.publish(new ServerUpdate.Changed(summary("n1", "first", true, NOW, 1.0))));

        eventually(WAIT, () -> assertThat(read(overview)).extracting(ServerSummary::id)
                .containsExactly("a", "n1", "n2"));
        // A table read may list a new server before its push arrives (then it is asked, as one nobody has heard
        // of); the servers already known are not asked again.
        assertThat(fleet.asked.subList(1, fleet.asked.size())).allSatisfy(ids -> assertThat(ids).doesNotContain("a"));
    }

    @Test
    void aFailedFirstReadIsAnErrorForReadersNotAHang() {
        fleet.failTable = true;
        FleetOverview overview = start();

        CompletableFuture<List<ServerSummary>> answer = overview.summaries().toCompletableFuture();

        eventually(WAIT, () -> assertThat(answer).isCompletedExceptionally());
    }

    /** The servers table and the entities, in memory; counts what the model reads. */
    private static final class FakeFleet implements FleetReadModel.Sources {
        final List<String> table = new CopyOnWriteArrayList<>();
        final Map<String, ServerSummary> entities = new ConcurrentHashMap<>();
        final List<List<String>> asked = new CopyOnWriteArrayList<>();
        final AtomicInteger tableReads = new AtomicInteger();
        volatile CompletableFuture<Void> holdTable = CompletableFuture.completedFuture(null);
        volatile boolean failTable;

        @Override
        public CompletionStage<List<String>> serverIds() {
            tableReads.incrementAndGet();
            if (failTable) {
                return CompletableFuture.failedFuture(new IllegalStateException("database away"));
            }
            return holdTable.thenApply(ignored -> List.copyOf(table));
        }

        @Override
        public CompletionStage<List<ServerSummary>> summariesOf(List<String> serverIds) {
            asked.add(List.copyOf(serverIds));
            List<ServerSummary> answers = new ArrayList<>();
            for (String id : serverIds) {
                ServerSummary summary = entities.get(id);
                if (summary != null) {
                    answers.add(summary);
                }
            }
            return CompletableFuture.completedFuture(answers);
        }
    }
}
