package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BackupRig;
import io.steward.node.testing.TestNodes;
import jakarta.mail.MessagingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule as the node owns it, in real time with real parts: a job due every minute (the node's least period
 * and grace lowered for the test) runs on its own; a node restart between two due times neither loses nor doubles
 * the next run; an agent that is gone past a due time and its grace is a missed run, alerted by email although the
 * agent is not there to say anything.
 */
class BackupScheduleIT {
    private static final Duration MINUTE_AND_GRACE = Duration.ofSeconds(100);

    @TempDir
    Path nodeDir;
    @TempDir
    Path work;

    @Test
    void dueRunsStartOnceAcrossANodeRestartAndAnAbsentAgentIsAMissedRunAlerted() throws Exception {
        int port = FreePort.find();
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        StewardNode node = StewardNode.start(nodeConfig(port));
        try (BackupRig rig = BackupRig.start(work)) {
            ApiClient api = new ApiClient(port);
            api.loginAsAdmin();
            api.addMailChannel(smtpPort);
            Files.writeString(rig.source.resolve("a.txt"), "a\n");
            rig.startAgent(port, api);
            // Trusted first under a daily schedule, then switched to every minute: a minute boundary that fell
            // between creating the job and trusting its host key would otherwise be a (rightly) refused run.
            String jobId = rig.createTrusted(api, rig.job("www", "{\"everyHours\":24}", "{\"keepLast\":5}"));
            ApiClient.Response everyMinute = api.put(rig.base() + "/" + jobId, rig.job("www",
                    "{\"cron\":\"* * * * *\",\"timeZone\":\"UTC\"}", "{\"keepLast\":5}"));
            assertThat(everyMinute.status()).as(everyMinute.raw().body()).isEqualTo(200);
            assertThat(rig.job(api, jobId).get("hostKey").get("trusted").asBoolean()).as("same destination")
                    .isTrue();

            JsonNode first = await(MINUTE_AND_GRACE, "the first scheduled run", () -> ended(api, rig, jobId, 1));
            assertThat(first.get("trigger").asText()).isEqualTo("schedule");
            assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("succeeded");
            Instant firstDue = Instant.parse(first.get("dueFor").asText());

            // Restart the node before the next due time; the agent reconnects on its own.
            node.close();
            node = StewardNode.start(nodeConfig(port));
            ApiClient restarted = new ApiClient(port);
            restarted.loginAsAdmin();
            JsonNode second = await(MINUTE_AND_GRACE, "the run after the restart", () -> ended(restarted, rig,
                    jobId, 2));
            assertThat(second.get("state").asText()).as(second.toString()).isEqualTo("succeeded");
            assertThat(Instant.parse(second.get("dueFor").asText())).isEqualTo(firstDue.plus(Duration.ofMinutes(1)));
            assertThat(second.get("trigger").asText()).as("on time, not a catch-up").isEqualTo("schedule");

            // The agent goes away: the next due time passes its grace with nobody to run it.
            rig.stopAgent();
            JsonNode missed = await(MINUTE_AND_GRACE, "the missed run", () -> rig.runs(restarted, jobId).stream()
                    .filter(run -> run.get("state").asText().equals("missed")).findFirst().orElse(null));
            assertThat(Instant.parse(missed.get("dueFor").asText())).isEqualTo(firstDue.plus(Duration.ofMinutes(2)));
            eventually(BackupRig.WAIT, () -> assertThat(BackupRunsIT.firing(restarted))
                    .contains("default-backup-missed"));
            eventually(BackupRig.WAIT, () -> assertThat(smtp.getReceivedMessages()).anySatisfy(message ->
                    assertThat(subject(message)).startsWith("[CRITICAL] Backup missed on ")));
            assertThat(rig.job(restarted, jobId).get("status").asText()).as("a missed run is red").isEqualTo("failed");

            // Every due time was handled once: no two runs for one due time, before or after the restart.
            Map<String, Long> perDue = rig.runs(restarted, jobId).stream().filter(run -> !run.get("dueFor").isNull())
                    .collect(Collectors.groupingBy(run -> run.get("dueFor").asText(), Collectors.counting()));
            assertThat(perDue.values()).as(perDue.toString()).allMatch(count -> count == 1);
        } finally {
            node.close();
            smtp.stop();
        }
    }

    /** The {@code n}-th run of the job once it has ended (oldest first), or null. */
    private static JsonNode ended(ApiClient api, BackupRig rig, String jobId, int n) {
        List<JsonNode> runs = new ArrayList<>(rig.runs(api, jobId));
        Collections.reverse(runs); // newest first on the wire
        if (runs.size() < n || runs.get(n - 1).get("state").asText().equals("running")) {
            return null;
        }
        return runs.get(n - 1);
    }

    private Config nodeConfig(int port) {
        return TestNodes.h2(nodeDir)
                .withValue("steward.http.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("steward.backups.minimum-period", ConfigValueFactory.fromAnyRef("1m"))
                .withValue("steward.backups.minimum-grace", ConfigValueFactory.fromAnyRef("1s"));
    }

    private static String subject(jakarta.mail.Message message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
