package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.Retention;
import io.steward.core.backup.RunStats;
import io.steward.core.fleet.ServerId;
import io.steward.core.services.RecoveryPolicy;
import io.steward.core.testing.Eventually;
import io.steward.node.testing.EntityTestKit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Persisted events keep replaying: golden journals written by earlier versions of the entity (every event type, as the
 * persistence plugin stores it — serializer id, manifest, bytes) are read with today's serializers and migrations and
 * replayed by today's entity into the state the old entity had after each prefix of the stream.
 */
class JournalCompatibilityTest {
    /** Every golden journal ever written, oldest first; a new one is added (never rewritten) when classes move. */
    private static final List<String> GOLDEN = List.of("journal/server-events-v1.json");
    /**
     * A snapshot of the state as this version stores it (the state of the richest v1 stream): later versions must
     * still read it, or recovery from a snapshot fails. Written once with {@code -Dsteward.golden.write=true}.
     */
    private static final String GOLDEN_SNAPSHOT = "journal/server-state-v2.json";
    /** Every backup event as this version stores it (the backup family arrived after v1). */
    private static final String GOLDEN_BACKUP_EVENTS = "journal/backup-events-v2.json";
    /** Every credential event as this version stores it (the family arrived with "secure by default"). */
    private static final String GOLDEN_CREDENTIAL_EVENTS = "journal/credential-events-v3.json";

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @RegisterExtension
    static final EntityTestKit kit = new EntityTestKit("JournalCompatibilityTest");

    @Test
    void everyStoredEventTypeOfEveryVersionIsReadAsTodaysEvent() throws IOException {
        Set<Class<?>> seen = new HashSet<>();
        for (String golden : GOLDEN) {
            for (JsonNode stream : read(golden).get("streams")) {
                for (ServerEvent event : events(stream)) {
                    seen.add(event.getClass());
                }
            }
        }
        // The golden journals cover every event type there was: none may be left unread.
        assertThat(seen).containsExactlyInAnyOrderElementsOf(JournalMigrations.RENAMED.values());
    }

    @Test
    void theOldStreamsReplayIntoTheStateTheOldEntityHad() throws IOException {
        int checked = 0;
        for (String golden : GOLDEN) {
            for (JsonNode stream : read(golden).get("streams")) {
                List<ServerEvent> events = events(stream);
                JsonNode stored = stream.get("events");
                for (int i = 0; i < events.size(); i++) {
                    String serverId = stream.get("serverId").asText() + "-" + (i + 1);
                    JsonNode expected = stored.get(i).get("stateAfter");
                    EventSourcedBehaviorTestKit<ServerCommand, ServerEvent, ServerState> entity =
                            EventSourcedBehaviorTestKit.create(kit.system(), ServerEntity.create(ServerId.of(serverId),
                                    new ServerEntitySettings(3, 5, Duration.ofSeconds(1)),
                                    ServerEntity.Collaborators.NONE));
                    entity.initialize(events.subList(0, i + 1).toArray(ServerEvent[]::new));
                    String step = golden + " " + serverId + " after "
                            + stored.get(i).get("manifest").asText();
                    // Recovery may record a person's action left in flight as lost, as the old entity did: poll.
                    Eventually.eventually(Duration.ofSeconds(5), () ->
                            assertThat(legacyView(entity.getState())).as(step).isEqualTo(expected));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(38);
    }

    @Test
    void everyOldClassNameHasItsMigrationConfigured() {
        var migrations = kit.system().settings().config().getConfig("pekko.serialization.jackson.migrations");
        for (String oldName : JournalMigrations.oldClassNames()) {
            assertThat(migrations.getString("\"" + oldName + "\"")).as(oldName)
                    .isEqualTo(JournalMigrations.class.getName());
        }
    }

    @Test
    void aStoredSnapshotOfTheStateIsReadAsTheStateItWas() throws IOException {
        JsonNode richest = null;
        for (JsonNode stream : read(GOLDEN.get(0)).get("streams")) {
            if (fold(events(stream)) instanceof ServerState.Active
                    && (richest == null || stream.get("events").size() > richest.get("events").size())) {
                richest = stream;
            }
        }
        assertThat(richest).isNotNull();
        ServerState expected = fold(events(richest));
        Serialization serialization = SerializationExtension.get(kit.system());
        if (Boolean.getBoolean("steward.golden.write")) {
            writeGoldenSnapshot(serialization, expected, richest.get("serverId").asText());
        }
        JsonNode golden = read(GOLDEN_SNAPSHOT);
        assertThat(golden.get("stream").asText()).isEqualTo(richest.get("serverId").asText());
        Object stored = serialization.deserialize(Base64.getDecoder().decode(golden.get("payload").asText()),
                golden.get("serializerId").asInt(), golden.get("manifest").asText()).get();
        assertThat(stored).isEqualTo(expected);
        assertThat(((ServerState.Active) stored).details().tags()).as("the sample is more than a registration")
                .isNotEmpty();
    }

    @Test
    void everyStoredBackupEventTypeIsReadBackAndHasItsHistoryLine() throws IOException {
        Serialization serialization = SerializationExtension.get(kit.system());
        if (Boolean.getBoolean("steward.golden.write")) {
            writeGolden(serialization, GOLDEN_BACKUP_EVENTS, backupSamples());
        }
        Set<Class<?>> seen = new HashSet<>();
        for (JsonNode stored : read(GOLDEN_BACKUP_EVENTS).get("events")) {
            Object event = serialization.deserialize(Base64.getDecoder().decode(stored.get("payload").asText()),
                    stored.get("serializerId").asInt(), stored.get("manifest").asText()).get();
            assertThat(event).isInstanceOf(BackupEvent.class);
            assertThat(ServerHistory.entry(1, (ServerEvent) event).type().wireName()).startsWith("backup-");
            seen.add(event.getClass());
        }
        assertThat(seen).containsExactlyInAnyOrder(BackupEvent.class.getPermittedSubclasses());
    }

    @Test
    void everyStoredCredentialEventTypeIsReadBackAndHasItsHistoryLine() throws IOException {
        Serialization serialization = SerializationExtension.get(kit.system());
        Instant at = Instant.parse("2027-01-10T09:00:00Z");
        List<ServerEvent> samples = List.of(
                new CredentialEvent.ReEnrollmentRequested("ree-abc", "web-01", "203.0.113.7:51234", true, at),
                new CredentialEvent.ReEnrollmentApproved("ree-abc", "alice", at),
                new CredentialEvent.ReEnrollmentDenied("ree-abc", "alice", at),
                new CredentialEvent.CredentialRevoked("alice", at));
        if (Boolean.getBoolean("steward.golden.write")) {
            writeGolden(serialization, GOLDEN_CREDENTIAL_EVENTS, samples);
        }
        Set<Class<?>> seen = new HashSet<>();
        List<Object> read = new ArrayList<>();
        for (JsonNode stored : read(GOLDEN_CREDENTIAL_EVENTS).get("events")) {
            Object event = serialization.deserialize(Base64.getDecoder().decode(stored.get("payload").asText()),
                    stored.get("serializerId").asInt(), stored.get("manifest").asText()).get();
            assertThat(ServerHistory.entry(1, (ServerEvent) event).type().wireName())
                    .matches("re-enrollment-.*|credential-revoked");
            seen.add(event.getClass());
            read.add(event);
        }
        assertThat(read).containsExactlyElementsOf(samples);
        assertThat(seen).containsExactlyInAnyOrder(CredentialEvent.class.getPermittedSubclasses());
    }

    /** One of each backup event, with every optional part filled. */
    private static List<ServerEvent> backupSamples() {
        Instant at = Instant.parse("2026-12-02T08:30:00Z");
        var key = HostKey.parse(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
        BackupSettings settings = new BackupSettings("www", new BackupJobSpec("www-k3x9",
                List.of("/srv/www"), List.of("*.tmp"), BackupSamples.DESTINATION, 1024, Duration.ofHours(2)),
                new BackupSchedule.Cron("30 2 * * *", "Europe/Berlin"),
                Retention.DEFAULT, true, 24);
        var stats = new RunStats(10, 2, 1000, 200, 4000, 24);
        var failure = BackupFailure.UNREACHABLE;
        return List.of(
                new BackupEvent.JobCreated(settings, "alice", at),
                new BackupEvent.JobUpdated(settings, true, false, "alice", at),
                new BackupEvent.JobDeleted("www-k3x9", "alice", at),
                new BackupEvent.HostKeySeen("www-k3x9", key, at),
                new BackupEvent.HostKeyUnavailable("www-k3x9", "Connection refused", at),
                new BackupEvent.HostKeyTrusted("www-k3x9", key.fingerprint(), "alice", at),
                new BackupEvent.HostKeyChanged("www-k3x9", key.fingerprint(), at),
                new BackupEvent.RunStarted("www-k3x9", "r1", "2026-12-02T083000Z", BackupEvent.Trigger.CATCH_UP, at,
                        "alice", at.plusSeconds(3600), at),
                new BackupEvent.RunCompleted("www-k3x9", "r1", true, "2026-12-02T083000Z", stats,
                        List.of("/srv/www/tmp/x"), List.of("file has vanished"), List.of("2026-12-02T083000Z"), at),
                new BackupEvent.RunFailed("www-k3x9", "r2", failure, "Connection refused", List.of("ssh: ..."), at),
                new BackupEvent.RunRefused("www-k3x9", "r3", BackupFailure.NOT_ALLOWED,
                        "outside allowSources", at, at),
                new BackupEvent.RunsMissed("www-k3x9", 3, at, at.plusSeconds(7200), "the agent was not connected",
                        at),
                new BackupEvent.SnapshotsPruned("www-k3x9", "r1", List.of("2026-11-01T083000Z"), at),
                new BackupEvent.RestoreStarted("www-k3x9", "x1", "2026-12-02T083000Z", "/srv/www/a", "/tmp/r",
                        "alice", at),
                new BackupEvent.RestoreFinished("www-k3x9", "x1", false, failure, "refused", 1, 12, List.of("l"), at),
                new BackupEvent.Verified("www-k3x9", "v1", false, BackupFailure.MISMATCH,
                        "1 file differs", "2026-12-02T083000Z", 40, 2, List.of("/srv/www/a"), 12.5, at),
                new BackupEvent.AgentBackupsChanged(new AgentBackups(true, "ssh-ed25519 AAAA k", List.of("/srv"),
                        List.of("b:2222"), "3.2.7"), at));
    }

    /** Never overwrites: a golden is what an old version wrote, and stays so. */
    private static void writeGolden(Serialization serialization, String resource, List<ServerEvent> events)
            throws IOException {
        Path file = Path.of("src/test/resources").resolve(resource);
        if (Files.exists(file)) {
            return;
        }
        ObjectNode golden = JSON.createObjectNode();
        var array = golden.putArray("events");
        for (ServerEvent event : events) {
            var serializer = serialization.findSerializerFor(event);
            ObjectNode stored = array.addObject();
            stored.put("serializerId", serializer.identifier());
            stored.put("manifest", Serializers.manifestFor(serializer, event));
            stored.put("payload", Base64.getEncoder().encodeToString(serialization.serialize(event).get()));
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n");
    }

    private static ServerState fold(List<ServerEvent> events) {
        RecoveryPolicy policy = new ServerEntitySettings(3, 5, Duration.ofSeconds(1)).recovery();
        ServerState state = new ServerState.Unregistered();
        for (ServerEvent event : events) {
            state = state.apply(event, policy);
        }
        return state;
    }

    /** Never overwrites: a golden is what an old version wrote, and stays so. */
    private static void writeGoldenSnapshot(Serialization serialization, ServerState state, String stream)
            throws IOException {
        Path file = Path.of("src/test/resources").resolve(GOLDEN_SNAPSHOT);
        if (Files.exists(file)) {
            return;
        }
        var serializer = serialization.findSerializerFor(state);
        ObjectNode golden = JSON.createObjectNode();
        golden.put("stream", stream);
        golden.put("serializerId", serializer.identifier());
        golden.put("manifest", Serializers.manifestFor(serializer, state));
        golden.put("payload", Base64.getEncoder().encodeToString(serialization.serialize(state).get()));
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n");
    }

    private static List<ServerEvent> events(JsonNode stream) {
        Serialization serialization = SerializationExtension.get(kit.system());
        List<ServerEvent> events = new ArrayList<>();
        for (JsonNode stored : stream.get("events")) {
            Object event = serialization.deserialize(Base64.getDecoder().decode(stored.get("payload").asText()),
                    stored.get("serializerId").asInt(), stored.get("manifest").asText()).get();
            assertThat(event).as(stored.get("manifest").asText()).isInstanceOf(ServerEvent.class);
            events.add((ServerEvent) event);
        }
        return events;
    }

    /** Today's state in the shape the old entity's state had (one flat record), to compare with the golden. */
    private static JsonNode legacyView(ServerState state) {
        ObjectNode view = JSON.createObjectNode();
        if (state instanceof ServerState.Active active) {
            view.put("hostname", active.identity().hostname());
            view.put("machineId", active.identity().machineId());
            view.put("displayName", active.details().displayName());
            view.put("group", active.details().group());
            view.set("tags", JSON.valueToTree(active.details().tags()));
            view.put("notes", active.details().notes());
            view.put("online", active.presence().online());
            view.set("lastSeen", JSON.valueToTree(active.presence().lastSeen()));
            view.put("intervalMillis", active.presence().intervalMillis());
            view.put("agentVersion", active.identity().agentVersion());
            view.set("system", JSON.valueToTree(active.identity().system()));
            view.set("registeredAt", JSON.valueToTree(active.identity().registeredAt()));
            view.set("alerts", JSON.valueToTree(active.alerts().active()));
            view.set("services", JSON.valueToTree(active.services()));
        } else if (state instanceof ServerState.Removed removed) {
            view.set("at", JSON.valueToTree(removed.at()));
        }
        view.put("kind", state.getClass().getSimpleName());
        // Through text, so numbers compare by value as the golden's parser read them (0 is 0, int or long).
        try {
            return JSON.readTree(JSON.writeValueAsString(view));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = JournalCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        }
    }
}
