package io.steward.node.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.alerting.Severity;
import io.steward.core.fleet.ServerId;
import io.steward.node.NodeConfig;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.database.Database;
import io.steward.node.database.Jdbc;
import io.steward.node.server.AlertEvent;
import io.steward.node.server.DetailsCommand;
import io.steward.node.server.DetailsEvent;
import io.steward.node.server.LifecycleEvent;
import io.steward.node.server.LiveCommand;
import io.steward.node.server.PresenceEvent;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerEntitySettings;
import io.steward.node.server.ServerEvent;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServiceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * How long a server entity with a long history takes to recover, with and without snapshots, on the node's real
 * database and persistence plugin; run by {@code deploy/bench/snapshot-bench.sh}. The history is a realistic mix
 * (renames, presence, alerts, services), written straight into the journal as the plugin stores it; recovery is
 * timed from spawning the entity to its first answer, several times each:
 * <ul>
 *   <li>no snapshot: every event is replayed;</li>
 *   <li>a snapshot at the last event (what {@code snapshot-every} leaves right after it fires);</li>
 *   <li>a snapshot {@code snapshot-every - 1} events back (the worst case between two snapshots).</li>
 * </ul>
 * Arguments: events (default 100000), runs per case (default 3), a PostgreSQL JDBC URL (default: embedded H2).
 */
public final class SnapshotBench {
    private static final int SNAPSHOT_EVERY = ServerEntitySettings.DEFAULT_SNAPSHOT_EVERY;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String postgresUrl = args.length > 2 ? args[2] : "";
        Path dir = Files.createTempDirectory("steward-snapshot-bench");
        Config overrides = ConfigFactory.parseString("""
                        pekko.actor.provider = local
                        pekko.loglevel = WARNING
                        """)
                .withValue("steward.data-dir", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withValue("steward.db.url", ConfigValueFactory.fromAnyRef(postgresUrl))
                .withValue("steward.db.user", ConfigValueFactory.fromAnyRef(postgresUrl.isEmpty() ? "" : "steward"));
        Config config = NodeConfig.load(overrides);
        try (Database database = Database.open(NodeConfig.databaseSettings(config))) {
            database.migrate();
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "snapshot-bench", config);
            try {
                System.out.printf(Locale.ROOT, "{\"database\":\"%s\",\"events\":%d,\"snapshotEvery\":%d}%n",
                        database.kind(), events, SNAPSHOT_EVERY);
                ServerId plain = ServerId.of("bench-no-snapshot");
                writeHistory(system, database, plain, events);
                report(system, "no snapshot", plain, Integer.MAX_VALUE, runs, events);

                // With snapshots: the history up to just short of a multiple of snapshot-every, then live events
                // through the entity, so the entity itself stores the snapshot as it would in production.
                ServerId latest = ServerId.of("bench-snapshot-latest");
                int stored = events - (events % SNAPSHOT_EVERY == 0 ? SNAPSHOT_EVERY : events % SNAPSHOT_EVERY);
                writeHistory(system, database, latest, stored);
                persistLive(system, latest, events - stored);
                report(system, "snapshot at the last event", latest, SNAPSHOT_EVERY, runs, events);

                ServerId worst = ServerId.of("bench-snapshot-worst");
                writeHistory(system, database, worst, stored);
                persistLive(system, worst, events - stored + SNAPSHOT_EVERY - 1);
                report(system, "snapshot " + (SNAPSHOT_EVERY - 1) + " events back", worst, SNAPSHOT_EVERY, runs,
                        events + SNAPSHOT_EVERY - 1);
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Recovery times of {@code runs} fresh incarnations; prints one JSON line. */
    private static void report(ActorSystem<Void> system, String name, ServerId id, int snapshotEvery, int runs,
            int events) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            Hosted entity = Hosted.spawn(system, id, snapshotEvery);
            ServerSummary summary = entity.summary(system);
            millis.add((System.nanoTime() - start) / 1e6);
            if (summary == null) {
                throw new IllegalStateException("no summary");
            }
            entity.stop(system);
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "{\"case\":\"%s\",\"eventsInJournal\":%d,\"runsMs\":%s,\"medianMs\":%.0f}%n",
                name, events, millis.stream().map(ms -> String.format(Locale.ROOT, "%.0f", ms)).toList(),
                millis.get(millis.size() / 2));
    }

    /** Persists {@code count} events through the entity itself (renames), so it snapshots as configured. */
    private static void persistLive(ActorSystem<Void> system, ServerId id, int count) throws Exception {
        Hosted entity = Hosted.spawn(system, id, SNAPSHOT_EVERY);
        for (int i = 0; i < count; i++) {
            String name = "live " + i;
            AskPattern.<ServerCommand, StatusReply<ServerSummary>>ask(entity.ref(), replyTo ->
                            new DetailsCommand.UpdateDetails(new DetailsCommand.Patch(
                                    Set.of(DetailsCommand.Field.DISPLAY_NAME), name, null, null, null), "bench",
                                    replyTo),
                    Duration.ofMinutes(1), system.scheduler()).toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
        entity.stop(system);
    }

    /**
     * An entity incarnation under a parent this bench can stop, waiting until it is gone: two incarnations of one
     * persistence id must never write at once.
     */
    private record Hosted(ActorRef<Object> host, ActorRef<ServerCommand> ref) {
        record Stop(ActorRef<Boolean> replyTo) {}

        static Hosted spawn(ActorSystem<Void> system, ServerId id, int snapshotEvery) throws Exception {
            ServerEntitySettings settings = new ServerEntitySettings(3, 120, Duration.ofSeconds(1))
                    .withSnapshots(snapshotEvery, 2);
            Behavior<ServerCommand> entity = ServerEntity.create(id, settings, ServerEntity.Collaborators.NONE);
            java.util.concurrent.CompletableFuture<ActorRef<ServerCommand>> child =
                    new java.util.concurrent.CompletableFuture<>();
            ActorRef<Object> host = system.systemActorOf(Behaviors.setup(context -> {
                child.complete(context.spawn(entity, "entity"));
                return Behaviors.receive(Object.class)
                        .onMessage(Stop.class, stop -> Behaviors.stopped(() -> stop.replyTo().tell(true)))
                        .build();
            }), "host-" + System.nanoTime(), Props.empty());
            return new Hosted(host, child.get(30, TimeUnit.SECONDS));
        }

        ServerSummary summary(ActorSystem<Void> system) throws Exception {
            return AskPattern.<ServerCommand, StatusReply<ServerSummary>>ask(ref, LiveCommand.GetSummary::new,
                            Duration.ofMinutes(5), system.scheduler())
                    .toCompletableFuture().get(5, TimeUnit.MINUTES).getValue();
        }

        void stop(ActorSystem<Void> system) throws Exception {
            // The parent's stop completes after its child (the entity) has stopped.
            AskPattern.<Object, Boolean>ask(host, Stop::new, Duration.ofSeconds(30), system.scheduler())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes a registered server's history of {@code count} events into the journal, as the plugin stores them. */
    private static void writeHistory(ActorSystem<Void> system, Database database, ServerId id, int count)
            throws Exception {
        Serialization serialization = SerializationExtension.get(system);
        String persistenceId = ServerEntity.persistenceId(id).id();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        int batch = 1000;
        for (int from = 1; from <= count; from += batch) {
            int first = from;
            int last = Math.min(count, from + batch - 1);
            Jdbc.inTransaction(database.dataSource(), connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO event_journal"
                        + " (persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,"
                        + " event_ser_id, event_ser_manifest, event_payload) VALUES (?, ?, FALSE, ?, ?, '', ?, ?, ?)")) {
                    for (int sequence = first; sequence <= last; sequence++) {
                        ServerEvent event = event(sequence, t.plusSeconds(sequence));
                        Serializer serializer = serialization.findSerializerFor(event);
                        insert.setString(1, persistenceId);
                        insert.setLong(2, sequence);
                        insert.setString(3, "snapshot-bench");
                        insert.setLong(4, event.at().toEpochMilli());
                        insert.setInt(5, serializer.identifier());
                        insert.setString(6, Serializers.manifestFor(serializer, event));
                        insert.setBytes(7, serializer.toBinary(event));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return null;
            });
        }
    }

    /** A server's life, repeating: renamed, online, an alert fires and resolves, a service fails and recovers. */
    private static ServerEvent event(int sequence, Instant at) {
        if (sequence == 1) {
            return new LifecycleEvent.Registered("bench-host", "machine-1", "0.1.0", at);
        }
        ActiveAlert alert = new ActiveAlert("cpu-high", "High CPU", "cpu.percent", Severity.WARNING,
                ActiveAlert.Phase.FIRING, at, 95, "cpu.percent > 90", null);
        AlertSubject subject = new AlertSubject("bench", "production", List.of("eu"));
        return switch (sequence % 8) {
            case 0 -> new DetailsEvent.Renamed("bench " + sequence, "alice", at);
            case 1 -> new PresenceEvent.CameOnline(5000, at);
            case 2 -> new AlertEvent.Fired(alert, subject, at);
            case 3 -> new AlertEvent.Resolved(alert, 20, "recovered", subject, at);
            case 4 -> new ServiceEvent.WentDown("worker", "exited", at);
            case 5 -> new ServiceEvent.RestartAttempted("worker", 1, "cmd-" + sequence, at);
            case 6 -> new ServiceEvent.Recovered("worker", 1, at);
            default -> new PresenceEvent.WentOffline(at, at);
        };
    }
}
