package io.steward.node.database;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;

/**
 * Exercises pekko-persistence-jdbc on a database migrated by {@link Migrator}: events with tags, snapshots and
 * durable state are written by one incarnation and recovered by the next. Events and states are plain strings,
 * which Pekko serializes without configuration.
 */
final class PersistencePluginSchemaCheck {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private PersistencePluginSchemaCheck() {}

    /** The node's persistence settings (see {@code NodeConfig}) pointed at {@code database}. */
    static Config config(DatabaseSettings database) {
        boolean h2 = database.kind() == DatabaseSettings.Kind.H2;
        Map<String, Object> values = Map.of(
                "profile", h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$",
                "db.url", database.jdbcUrl(),
                "db.driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver",
                "db.user", database.user(),
                "db.password", database.password(),
                "db.numThreads", 2,
                "db.maxConnections", 2,
                "db.minConnections", 1);
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.persistence.journal.plugin = "jdbc-journal"
                pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                pekko.persistence.state.plugin = "jdbc-durable-state-store"
                jdbc-journal.use-shared-db = "default"
                jdbc-snapshot-store.use-shared-db = "default"
                jdbc-read-journal.use-shared-db = "default"
                jdbc-durable-state-store.use-shared-db = "default"
                """);
        for (Map.Entry<String, Object> value : values.entrySet()) {
            config = config.withValue("pekko-persistence-jdbc.shared-databases.default." + value.getKey(),
                    ConfigValueFactory.fromAnyRef(value.getValue()));
        }
        return config.withFallback(ConfigFactory.load());
    }

    /** Writes and recovers journal events (tagged, snapshotted) and durable state; fails on any mismatch. */
    static void writeAndRecover(DatabaseSettings database) {
        ActorTestKit testKit = ActorTestKit.create("PersistencePluginSchemaCheck", config(database));
        try {
            TestProbe<String> probe = testKit.createTestProbe();
            for (String letter : new String[] {"a", "b", "c"}) {
                ActorRef<Command> letters = testKit.spawn(new Letters(PersistenceId.ofUniqueId("letters-1")));
                letters.tell(new Append(letter, probe.ref()));
                probe.expectMessage(WAIT, "abc".substring(0, "abc".indexOf(letter) + 1));
                testKit.stop(letters, WAIT);
                ActorRef<Command> box = testKit.spawn(new Box(PersistenceId.ofUniqueId("box-1")));
                box.tell(new Append(letter, probe.ref()));
                probe.expectMessage(WAIT, "abc".substring(0, "abc".indexOf(letter) + 1));
                testKit.stop(box, WAIT);
            }
            ActorRef<Command> letters = testKit.spawn(new Letters(PersistenceId.ofUniqueId("letters-1")));
            letters.tell(new Get(probe.ref()));
            probe.expectMessage(WAIT, "abc");
            ActorRef<Command> box = testKit.spawn(new Box(PersistenceId.ofUniqueId("box-1")));
            box.tell(new Get(probe.ref()));
            probe.expectMessage(WAIT, "abc");
        } finally {
            testKit.shutdownTestKit();
        }
    }

    interface Command {}

    record Append(String text, ActorRef<String> replyTo) implements Command {}

    record Get(ActorRef<String> replyTo) implements Command {}

    /** Appends letters as events, tagged and snapshotted every two events. */
    static final class Letters extends EventSourcedBehavior<Command, String, String> {
        Letters(PersistenceId id) {
            super(id);
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public CommandHandler<Command, String, String> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Append.class, (state, append) ->
                            Effect().persist(append.text()).thenReply(append.replyTo(), newState -> newState))
                    .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
                    .build();
        }

        @Override
        public EventHandler<String, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onEvent(String.class, (state, event) -> state + event)
                    .build();
        }

        @Override
        public Set<String> tagsFor(String event) {
            return Set.of("letters");
        }

        @Override
        public RetentionCriteria retentionCriteria() {
            return RetentionCriteria.snapshotEvery(2, 1);
        }
    }

    /** Keeps the appended letters as durable state (the table that needs DATABASE_TO_UPPER=FALSE on H2). */
    static final class Box extends DurableStateBehavior<Command, String> {
        Box(PersistenceId id) {
            super(id);
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public org.apache.pekko.persistence.typed.state.javadsl.CommandHandler<Command, String> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Append.class, (state, append) ->
                            Effect().persist(state + append.text()).thenReply(append.replyTo(), newState -> newState))
                    .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
                    .build();
        }
    }
}
