package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BackupRig;
import io.steward.node.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups end to end with real parts: a node on H2, a real agent, real rsync over a real sshd (rrsync-confined):
 * snapshots on disk with unchanged files hard-linked, retention, a restore through the API, the size-drop warning,
 * and the agent's own allow-list refusing what the node asks outside it.
 */
class BackupRunsIT {
    @TempDir
    Path nodeDir;
    @TempDir
    Path work;

    @Test
    void snapshotsAreHardLinkedPrunedRestoredAndWatchedForShrinking() throws Exception {
        try (BackupRig rig = BackupRig.start(work); StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            Path index = Files.writeString(rig.source.resolve("index.html"), "<h1>hello</h1>\n");
            Path changing = Files.writeString(rig.source.resolve("changing.txt"), "version 1\n");
            Files.createDirectories(rig.source.resolve("img"));
            Files.write(rig.source.resolve("img/logo.png"), new byte[64 * 1024]);
            Files.writeString(rig.source.resolve("scratch.tmp"), "excluded\n");
            Files.setPosixFilePermissions(index, PosixFilePermissions.fromString("rw-r-----"));
            FileTime mtime = FileTime.from(Instant.parse("2026-11-30T12:34:56.123456789Z"));
            Files.setLastModifiedTime(index, mtime);
            rig.startAgent(node.httpPort(), api);

            // Bad input is a 400 naming the field; nothing is created.
            ApiClient.Response bad = api.post(rig.base(), rig.job("www", "{\"everyHours\":24}", "{\"keepLast\":2}")
                    .replace("\"sources\":[\"", "\"sources\":[\"relative/"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().get("error").asText()).startsWith("sources[0]");
            String jobId = rig.createTrusted(api, rig.job("www", "{\"everyHours\":24}", "{\"keepLast\":2}"));

            JsonNode first = rig.runNow(api, jobId);
            assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("succeeded");
            String s1 = first.get("snapshot").asText();
            assertThat(Files.readString(rig.inSnapshot(s1, index))).isEqualTo("<h1>hello</h1>\n");
            assertThat(Files.exists(rig.inSnapshot(s1, rig.source.resolve("scratch.tmp")))).as("excluded").isFalse();
            assertThat(Files.exists(rig.destination.resolve(".steward/complete").resolve(s1))).as("marker").isTrue();
            assertThat(first.get("stats").get("filesTotal").asLong()).isEqualTo(3);

            Files.writeString(changing, "version 2\n");
            JsonNode second = rig.runNow(api, jobId);
            String s2 = second.get("snapshot").asText();
            assertThat(s2).isGreaterThan(s1);
            assertThat(inode(rig.inSnapshot(s1, index))).as("unchanged: one file, hard-linked")
                    .isEqualTo(inode(rig.inSnapshot(s2, index)));
            assertThat(inode(rig.inSnapshot(s1, changing))).isNotEqualTo(inode(rig.inSnapshot(s2, changing)));
            assertThat(Files.readString(rig.inSnapshot(s2, changing))).isEqualTo("version 2\n");
            assertThat(second.get("stats").get("filesTransferred").asLong()).isEqualTo(1);

            // keepLast 2: after two more runs exactly the newest two are left, on disk and in the job.
            rig.runNow(api, jobId);
            JsonNode fourth = rig.runNow(api, jobId);
            JsonNode job = rig.job(api, jobId);
            List<String> kept = strings(job.get("snapshots"));
            assertThat(kept).hasSize(2).endsWith(fourth.get("snapshot").asText());
            assertThat(rig.snapshotsOnDisk()).containsExactlyElementsOf(kept);
            assertThat(strings(fourth.get("pruned"))).contains(s2);
            assertThat(job.get("status").asText()).isEqualTo("ok");
            assertThat(history(api, rig.serverId(), "backup-pruned")).isNotEmpty();

            // A file deleted at the source comes back through the API with its content, mode and mtime.
            Files.delete(index);
            ApiClient.Response restore = api.post(rig.base() + "/" + jobId + "/restore",
                    "{\"snapshot\":\"" + kept.get(1) + "\",\"path\":\"" + index + "\"}");
            assertThat(restore.status()).as(restore.raw().body()).isEqualTo(202);
            String restoreId = restore.json().get("restoreId").asText();
            JsonNode restored = await(BackupRig.WAIT, "the restore", () -> {
                JsonNode r = api.get(rig.base() + "/" + jobId + "/restores/" + restoreId).json();
                return r.get("state").asText().equals("running") ? null : r;
            });
            assertThat(restored.get("state").asText()).as(restored.toString()).isEqualTo("succeeded");
            assertThat(Files.readString(index)).isEqualTo("<h1>hello</h1>\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(index))).isEqualTo("rw-r-----");
            assertThat(Files.getLastModifiedTime(index)).isEqualTo(mtime);
            assertThat(history(api, rig.serverId(), "backup-restore-finished")).singleElement()
                    .satisfies(e -> assertThat(e.get("details").get("ok").asBoolean()).isTrue());
            // A target outside the job's sources must be asked for explicitly.
            ApiClient.Response outside = api.post(rig.base() + "/" + jobId + "/restore",
                    "{\"snapshot\":\"" + kept.get(1) + "\",\"path\":\"" + index + "\",\"target\":\"/tmp/x\"}");
            assertThat(outside.status()).isEqualTo(400);
            assertThat(outside.body().get("error").asText()).contains("allowOutsideSources");

            // The source wiped (an unmounted disk): the run succeeds, the shrink warning fires.
            try (var files = Files.walk(rig.source)) {
                files.sorted((a, b) -> b.compareTo(a)).filter(p -> !p.equals(rig.source)).forEach(p -> p.toFile()
                        .delete());
            }
            JsonNode wiped = rig.runNow(api, jobId);
            assertThat(wiped.get("state").asText()).isEqualTo("succeeded");
            eventually(BackupRig.WAIT, () -> assertThat(firing(api)).contains("default-backup-shrunk"));
        }
    }

    @Test
    void theAgentsAllowListRefusesWhatTheNodeAsksOutsideItAndNothingRuns() throws Exception {
        try (BackupRig rig = BackupRig.start(work); StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            rig.startAgent(node.httpPort(), api);
            // A source the agent's file does not allow: the node sends it, the agent refuses it, nothing runs.
            String outside = rig.createTrusted(api, rig.job("etc", "{\"everyHours\":24}", "{\"keepLast\":2}")
                    .replace(rig.source.toString(), "/etc"));
            JsonNode refused = rig.runNow(api, outside);
            assertThat(refused.get("state").asText()).isEqualTo("refused");
            assertThat(refused.get("failure").asText()).isEqualTo("not-allowed");
            assertThat(refused.get("reason").asText()).contains("/etc").contains("allowSources");
            assertThat(rig.snapshotsOnDisk()).isEmpty();
            eventually(BackupRig.WAIT, () -> assertThat(firing(api)).contains("default-backup-failed"));

            // A destination host the agent may not send to: it does not even fetch its host key.
            ApiClient.Response created = api.post(rig.base(), rig.job("elsewhere", "{\"everyHours\":24}",
                    "{\"keepLast\":2}").replace("\"host\":\"127.0.0.1\"", "\"host\":\"localhost\""));
            String elsewhere = created.json().get("id").asText();
            JsonNode key = await(BackupRig.WAIT, "the refusal to fetch the host key", () -> {
                JsonNode hostKey = rig.job(api, elsewhere).get("hostKey");
                return hostKey.isNull() || hostKey.get("error").isNull() ? null : hostKey;
            });
            assertThat(key.get("error").asText()).contains("allowDestinations");
            assertThat(key.get("trusted").asBoolean()).isFalse();
            assertThat(api.post(rig.base() + "/" + elsewhere + "/run", "{}").status()).isEqualTo(409);
        }
    }

    static List<String> firing(ApiClient api) {
        List<String> rules = new ArrayList<>();
        api.get("/api/alerts").json().forEach(alert -> {
            if (alert.get("phase").asText().equals("firing")) {
                rules.add(alert.get("ruleId").asText());
            }
        });
        return rules;
    }

    static List<JsonNode> history(ApiClient api, String serverId, String type) {
        JsonNode events = api.get("/api/servers/" + serverId + "/events?limit=500").json().get("events");
        return StreamSupport.stream(events.spliterator(), false)
                .filter(event -> event.get("type").asText().equals(type)).toList();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }
}
