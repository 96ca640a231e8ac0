package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.testing.SshServer;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BackupRig;
import io.steward.node.testing.BrowserScript;
import io.steward.node.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups in a real headless Chromium: a node on H2, a real agent allowed to back up a source to a real sshd
 * (rrsync-confined), and {@code frontend/e2e/backups-e2e.mjs} creating the job in the form, trusting the host key
 * after comparing it with the sshd's, running it now (progress and the running run seen, then the succeeded one),
 * browsing the snapshot and restoring a file it deleted. Then the disk and the API must agree with what the page
 * showed. Screenshots land in {@code cluster-node/target/e2e-screenshots/backups/}.
 */
class BackupsE2EIT {
    private static final List<String> STEPS = List.of("login", "create-job", "trust-host-key", "run-now",
            "run-succeeded", "browse-snapshot", "restore-file");
    /** With {@link #BANDWIDTH_KIBPS}, about four seconds of transfer: long enough to see the run's progress. */
    private static final int BIG_FILE_BYTES = 4 * 1024 * 1024;
    private static final int BANDWIDTH_KIBPS = 1024;
    private static final String PAGE = "<h1>restored from a snapshot</h1>\n";

    @TempDir
    Path nodeDir;
    @TempDir
    Path work;

    @Test
    void aJobIsCreatedTrustedRunAndRestoredFromInARealBrowser() throws Exception {
        BrowserScript browser = BrowserScript.of("backups-e2e.mjs", "e2e-screenshots/backups");
        try (BackupRig rig = BackupRig.start(work); StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            Path index = Files.writeString(rig.source.resolve("index.html"), PAGE);
            // Random bytes: nothing along the way can shrink them, so the bandwidth limit holds the run for seconds.
            byte[] big = new byte[BIG_FILE_BYTES];
            new Random(42).nextBytes(big);
            Files.write(rig.source.resolve("big.bin"), big);
            Files.writeString(rig.source.resolve("scratch.tmp"), "excluded\n");
            String serverId = rig.startAgent(node.httpPort(), api);
            String publicKey = api.get("/api/servers/" + serverId + "/backup-key").json().get("publicKey").asText();

            String output = browser.run(node.httpPort(), Map.ofEntries(
                    Map.entry("STEWARD_SERVER_ID", serverId),
                    Map.entry("STEWARD_SOURCE", rig.source.toString()),
                    Map.entry("STEWARD_LOST_FILE", "index.html"),
                    Map.entry("STEWARD_EXCLUDED_FILE", "scratch.tmp"),
                    Map.entry("STEWARD_DEST_HOST", rig.sshd.host()),
                    Map.entry("STEWARD_DEST_PORT", String.valueOf(rig.sshd.port())),
                    Map.entry("STEWARD_DEST_USER", rig.sshd.user()),
                    Map.entry("STEWARD_DEST_PATH", rig.destination.toString()),
                    Map.entry("STEWARD_HOST_KEY_FINGERPRINT", rig.sshd.hostKey().fingerprint()),
                    Map.entry("STEWARD_AUTHORIZED_KEYS_LINE",
                            SshServer.authorizedKeysLine(publicKey, rig.destination.toString())),
                    Map.entry("STEWARD_BANDWIDTH_KIBPS", String.valueOf(BANDWIDTH_KIBPS))));
            for (String step : STEPS) {
                assertThat(output).as("step %s passed", step).contains("STEP " + step + " ok");
            }
            assertThat(output).doesNotContain("FAIL ");
            String jobId = printed(output, "JOB");
            String snapshot = printed(output, "SNAPSHOT");

            // The file the browser deleted is back with its content, from the snapshot the page listed.
            assertThat(index).as("restored by the browser").hasContent(PAGE);
            assertThat(rig.snapshotsOnDisk()).containsExactly(snapshot);
            assertThat(Files.readString(rig.inSnapshot(snapshot, index))).isEqualTo(PAGE);
            assertThat(Files.readAllBytes(rig.inSnapshot(snapshot, rig.source.resolve("big.bin")))).isEqualTo(big);
            assertThat(rig.inSnapshot(snapshot, rig.source.resolve("scratch.tmp"))).as("excluded").doesNotExist();

            // The node holds the job as the form made it, and the run and restore as the page showed them.
            JsonNode job = rig.job(api, jobId);
            assertThat(job.get("name").asText()).isEqualTo("www");
            assertThat(job.get("schedule").get("everyHours").asInt()).isEqualTo(12);
            assertThat(job.get("bandwidthKiBps").asInt()).isEqualTo(BANDWIDTH_KIBPS);
            assertThat(job.get("verifyEveryHours").asInt()).isZero();
            assertThat(job.get("createdBy").asText()).isEqualTo("admin");
            assertThat(job.get("hostKey").get("trusted").asBoolean()).isTrue();
            assertThat(job.get("status").asText()).isEqualTo("ok");
            assertThat(rig.runs(api, jobId)).singleElement().satisfies(run -> {
                assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("succeeded");
                assertThat(run.get("trigger").asText()).isEqualTo("manual");
                assertThat(run.get("by").asText()).isEqualTo("admin");
                assertThat(run.get("snapshot").asText()).isEqualTo(snapshot);
            });
            assertThat(job.get("restores")).singleElement().satisfies(restore -> {
                assertThat(restore.get("state").asText()).as(restore.toString()).isEqualTo("succeeded");
                assertThat(restore.get("path").asText()).isEqualTo(index.toString());
                assertThat(restore.get("target").isNull()).as("to its original place").isTrue();
                assertThat(restore.get("by").asText()).isEqualTo("admin");
            });
        }
        try (var files = Files.list(browser.screenshots())) {
            assertThat(files.filter(file -> file.toString().endsWith(".png")).count())
                    .as("screenshots of each page").isGreaterThanOrEqualTo(6);
        }
    }

    /** The value the script printed after {@code label} on a line of its own. */
    private static String printed(String output, String label) {
        Matcher matcher = Pattern.compile("^" + label + " (\\S+)$", Pattern.MULTILINE).matcher(output);
        assertThat(matcher.find()).as("the script printed %s", label).isTrue();
        return matcher.group(1);
    }
}
