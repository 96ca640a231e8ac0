package io.steward.node.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.ConfigFactory;
import io.steward.core.alerting.Severity;
import io.steward.core.services.ServiceAction;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the golden journal of the code as it was before the entity split: one stored event of every type, as the
 * persistence plugin stores it (serializer id, manifest, bytes), and the entity's state after each prefix of the
 * stream. Run once with {@code -Dsteward.golden.write=true}; the file it writes is committed and never rewritten.
 */
@EnabledIfSystemProperty(named = "steward.golden.write", matches = "true")
class JournalGoldenWriter {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void writeGoldenJournal() throws Exception {
        ActorTestKit kit = ActorTestKit.create("JournalGoldenWriter", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.parseString("""
                        pekko.actor.serialization-bindings { "io.steward.node.serialization.CborSerializable" = jackson-cbor }
                        pekko.serialization.jackson.jackson-modules += "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule"
                        """)).withFallback(ConfigFactory.load()).resolve());
        try {
            ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .build();
            ObjectNode root = json.createObjectNode();
            root.put("writtenBy", "ServerEntity before the split (commit 2679637)");
            ArrayNode streams = root.putArray("streams");
            streams.add(stream(kit, json, "golden-history", history()));
            streams.add(stream(kit, json, "golden-deleted", List.of(
                    new ServerEntity.Registered("gone-1", "m-2", "0.1.0", T),
                    new ServerEntity.Deleted("alice", T.plusSeconds(60)))));
            Path file = Path.of("src/test/resources/journal/server-events-v1.json");
            Files.createDirectories(file.getParent());
            json.writeValue(file.toFile(), root);
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static ObjectNode stream(ActorTestKit kit, ObjectMapper json, String serverId,
            List<ServerEntity.Event> events) throws Exception {
        Serialization serialization = SerializationExtension.get(kit.system());
        ObjectNode stream = json.createObjectNode();
        stream.put("serverId", serverId);
        ArrayNode stored = stream.putArray("events");
        for (int i = 0; i < events.size(); i++) {
            ServerEntity.Event event = events.get(i);
            Serializer serializer = serialization.findSerializerFor(event);
            ObjectNode entry = stored.addObject();
            entry.put("sequence", i + 1);
            entry.put("serializerId", serializer.identifier());
            entry.put("manifest", Serializers.manifestFor(serializer, event));
            entry.put("payload", Base64.getEncoder().encodeToString(serializer.toBinary(event)));
            // The state today's entity shows right after recovering events 1..i+1 (recovery itself records a
            // person's action left in flight as lost, so those prefixes show the action resolved).
            String prefixId = serverId + "-" + (i + 1);
            EventSourcedBehaviorTestKit<ServerEntity.Command, ServerEntity.Event, ServerEntity.State> entity =
                    EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(prefixId,
                    new ServerEntitySettings(3, 5, Duration.ofSeconds(1)), LastKnownValues.NONE));
            entity.initialize(events.subList(0, i + 1).toArray(ServerEntity.Event[]::new));
            ServerEntity.State state = entity.getState();
            ObjectNode after = json.valueToTree(state);
            after.put("kind", state.getClass().getSimpleName());
            entry.set("stateAfter", after);
        }
        return stream;
    }

    /** Every event type, in an order the entity accepts, with the optional fields both set and absent. */
    private static List<ServerEntity.Event> history() {
        SystemIdentity system = new SystemIdentity("Debian GNU/Linux", "12", "6.1.0-28-amd64", "x86_64",
                "Test CPU", 2, List.of("192.0.2.10", "2001:db8::10"));
        AlertSubject subject = new AlertSubject("Web front", "production", List.of("eu", "web"));
        ActiveAlert cpuPending = new ActiveAlert("cpu-high", "High CPU", "cpu.percent", Severity.WARNING,
                ActiveAlert.Phase.PENDING, T.plusSeconds(100), 95.5, "cpu.percent > 90 for 5m", null);
        ActiveAlert cpuFiring = new ActiveAlert("cpu-high", "High CPU", "cpu.percent", Severity.WARNING,
                ActiveAlert.Phase.FIRING, T.plusSeconds(100), 97.0, "cpu.percent > 90 for 5m", null);
        ActiveAlert memoryPending = new ActiveAlert("memory-high", "High memory", "memory.percent",
                Severity.CRITICAL, ActiveAlert.Phase.PENDING, T.plusSeconds(130), 99.0, "memory.percent > 95", null);
        ActiveAlert diskFiring = new ActiveAlert("disk-full", "Disk full", "disk.percent{mount=/}",
                Severity.CRITICAL, ActiveAlert.Phase.FIRING, T.plusSeconds(140), 98.0, "disk.percent > 95", null);
        return List.of(
                new ServerEntity.Registered("web-1", "machine-1", "0.1.0", T),
                new ServerEntity.HostnameChanged("web-1", "web-1.example.com", T.plusSeconds(1)),
                new ServerEntity.AgentVersionChanged("0.1.0", "0.2.0", T.plusSeconds(2)),
                new ServerEntity.SystemChanged(null, system, T.plusSeconds(3)),
                new ServerEntity.Renamed("Web front", "alice", T.plusSeconds(4)),
                new ServerEntity.Regrouped("production", "alice", T.plusSeconds(5)),
                new ServerEntity.Retagged(List.of("eu", "web"), "alice", T.plusSeconds(6)),
                new ServerEntity.NotesChanged("Behind the load balancer", "alice", T.plusSeconds(7)),
                new ServerEntity.CameOnline(5000, T.plusSeconds(8)),
                new ServerEntity.ReportsDropped(12, T.plusSeconds(9)),
                new ServerEntity.AlertPending(cpuPending, subject, T.plusSeconds(100)),
                new ServerEntity.AlertFired(cpuFiring, subject, T.plusSeconds(400)),
                new ServerEntity.AlertAcknowledged(cpuFiring.key(),
                        new ActiveAlert.Acknowledgement("bob", T.plusSeconds(410), "looking")),
                new ServerEntity.AlertPending(memoryPending, subject, T.plusSeconds(130)),
                new ServerEntity.AlertCancelled(memoryPending, 80.0, T.plusSeconds(135)),
                // An alert event from before notifications existed carries no subject.
                new ServerEntity.AlertFired(diskFiring, null, T.plusSeconds(140)),
                new ServerEntity.AlertResolved(diskFiring, 70.0, "recovered", subject, T.plusSeconds(150)),
                new ServerEntity.Silenced("silence-1", T.plusSeconds(3600), "alice", "deploy", T.plusSeconds(160)),
                new ServerEntity.SilenceEnded("silence-1", "alice", T.plusSeconds(170)),
                new ServerEntity.ServiceWentDown("worker", "exited with 1", T.plusSeconds(200)),
                new ServerEntity.ServiceRestartAttempted("worker", 1, "cmd-1", T.plusSeconds(200)),
                new ServerEntity.ServiceRestartFailed("worker", 1, "exit status 1", T.plusSeconds(210),
                        T.plusSeconds(201)),
                new ServerEntity.ServiceRestartAttempted("worker", 2, "cmd-2", T.plusSeconds(210)),
                new ServerEntity.ServiceRecovered("worker", 2, T.plusSeconds(215)),
                new ServerEntity.ServiceWentDown("db", "inactive (dead)", T.plusSeconds(220)),
                new ServerEntity.ServiceRestartAttempted("db", 1, "cmd-3", T.plusSeconds(220)),
                new ServerEntity.ServiceRecoveryGaveUp("db", 1, "refused by the agent", T.plusSeconds(221)),
                new ServerEntity.ServiceWentDown("cache", "exited", T.plusSeconds(230)),
                new ServerEntity.ServiceFlapping("cache", 5, T.plusSeconds(230)),
                new ServerEntity.ServiceActionRequested("web", ServiceAction.STOP, "alice", "cmd-4",
                        T.plusSeconds(240)),
                new ServerEntity.ServiceActionCompleted("web", ServiceAction.STOP, "done", "stopped", "alice",
                        "cmd-4", T.plusSeconds(241)),
                new ServerEntity.ServiceActionRequested("web", ServiceAction.START, "bob", "cmd-5",
                        T.plusSeconds(250)),
                new ServerEntity.ServiceActionCompleted("web", ServiceAction.START, "failed", "exit 3", "bob",
                        "cmd-5", T.plusSeconds(251)),
                new ServerEntity.AutoRestartChanged("cache", false, "alice", T.plusSeconds(260)),
                new ServerEntity.AutoRestartChanged("cache", true, "alice", T.plusSeconds(261)),
                new ServerEntity.WentOffline(T.plusSeconds(300), T.plusSeconds(315)));
    }
}
