package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BackupRig;
import io.steward.node.testing.TestNodes;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups that fail, with real parts: a destination sshd that refuses the agent's key, one that is down, and one
 * whose host key changed. Each gives one failed (or refused) run and one critical alert, delivered by email to a
 * real SMTP server (GreenMail), resolved by the next good run.
 */
class BackupFailuresIT {
    @TempDir
    Path nodeDir;
    @TempDir
    Path work;

    private GreenMail smtp;
    private int smtpPort;

    @BeforeEach
    void startSmtp() {
        smtpPort = FreePort.find();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void aRefusedKeyAndADownDestinationEachFailOnceAlertByEmailAndResolveOnTheNextGoodRun() throws Exception {
        try (BackupRig rig = BackupRig.start(work); StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            emailChannel(api);
            Files.writeString(rig.source.resolve("a.txt"), "a\n");
            rig.startAgent(node.httpPort(), api);
            String jobId = rig.createTrusted(api, rig.job("www", "{\"everyHours\":24}", "{\"keepLast\":3}"));
            assertThat(rig.runNow(api, jobId).get("state").asText()).isEqualTo("succeeded");

            // The destination no longer accepts the agent's key.
            rig.sshd.revokeAll();
            JsonNode refusedKey = rig.runNow(api, jobId);
            assertThat(refusedKey.get("state").asText()).as(refusedKey.toString()).isEqualTo("failed");
            assertThat(refusedKey.get("failure").asText()).isEqualTo("auth-refused");
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).as("one email for the failure").singleElement()
                    .asString().startsWith("[CRITICAL] Backup failed on "));
            assertThat(rig.job(api, jobId).get("status").asText()).isEqualTo("failed");
            // The agent's metric reports go on; they do not speak for the backup: the alert stays firing, unsent.
            long acked = rig.agentStatus().lastAckedSequence();
            eventually(BackupRig.WAIT, () -> assertThat(rig.agentStatus().lastAckedSequence())
                    .isGreaterThan(acked + 3));
            assertThat(BackupRunsIT.firing(api)).contains("default-backup-failed");
            assertThat(subjects()).hasSize(1);

            rig.authorizeAgent();
            assertThat(rig.runNow(api, jobId).get("state").asText()).isEqualTo("succeeded");
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).hasSize(2).last().asString()
                    .startsWith("[RESOLVED] Backup failed on "));
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[1])).as("resolved by the good run")
                    .contains("recovered");
            assertThat(rig.job(api, jobId).get("status").asText()).isEqualTo("ok");

            // The destination is down: connection refused.
            rig.sshd.stop();
            JsonNode down = rig.runNow(api, jobId);
            assertThat(down.get("state").asText()).as(down.toString()).isEqualTo("failed");
            assertThat(down.get("failure").asText()).isEqualTo("unreachable");
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).hasSize(3).last().asString()
                    .startsWith("[CRITICAL] Backup failed on "));

            rig.sshd.restart();
            assertThat(rig.runNow(api, jobId).get("state").asText()).isEqualTo("succeeded");
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).hasSize(4).last().asString()
                    .startsWith("[RESOLVED] Backup failed on "));

            // One failed run per failure, each in the history with its reason; no retry storm.
            List<JsonNode> failed = rig.runs(api, jobId).stream()
                    .filter(run -> run.get("state").asText().equals("failed")).toList();
            assertThat(failed).hasSize(2);
            assertThat(BackupRunsIT.history(api, rig.serverId(), "backup-failed")).hasSize(2)
                    .allSatisfy(event -> assertThat(event.get("details").get("reason").asText()).isNotBlank());
            assertThat(subjects()).hasSize(4);
        }
    }

    @Test
    void aChangedHostKeyRefusesTheRunAndAlertsUntilAPersonTrustsTheNewKey() throws Exception {
        try (BackupRig rig = BackupRig.start(work); StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            emailChannel(api);
            Files.writeString(rig.source.resolve("a.txt"), "a\n");
            rig.startAgent(node.httpPort(), api);
            String jobId = rig.createTrusted(api, rig.job("www", "{\"everyHours\":24}", "{\"keepLast\":3}"));
            String pinned = rig.job(api, jobId).get("hostKey").get("fingerprint").asText();
            assertThat(rig.runNow(api, jobId).get("state").asText()).isEqualTo("succeeded");

            rig.sshd.rotateHostKey();
            JsonNode changed = rig.runNow(api, jobId);
            assertThat(changed.get("state").asText()).as(changed.toString()).isIn("failed", "refused");
            assertThat(changed.get("failure").asText()).isEqualTo("host-key-changed");
            assertThat(rig.snapshotsOnDisk()).as("nothing was sent to the impostor").hasSize(1);
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).anySatisfy(subject -> assertThat(subject)
                    .startsWith("[CRITICAL] Backup destination's host key changed on ")));
            assertThat(BackupRunsIT.history(api, rig.serverId(), "backup-host-key-changed")).singleElement()
                    .satisfies(e -> assertThat(e.get("details").get("expectedFingerprint").asText())
                            .isEqualTo(pinned));

            // Runs stay refused until a person compares the new key and trusts it.
            JsonNode key = await(BackupRig.WAIT, "the new host key", () -> {
                JsonNode hostKey = rig.job(api, jobId).get("hostKey");
                // Between the refusal and the agent's new key the job may show none (null) for a moment.
                return !hostKey.hasNonNull("fingerprint") || hostKey.get("fingerprint").asText().equals(pinned)
                        ? null : hostKey;
            });
            assertThat(key.get("fingerprint").asText()).isEqualTo(rig.sshd.hostKey().fingerprint());
            assertThat(key.get("trusted").asBoolean()).isFalse();
            assertThat(api.post(rig.base() + "/" + jobId + "/run", "{}").status()).isEqualTo(409);
            assertThat(api.post(rig.base() + "/" + jobId + "/trust-host-key",
                    "{\"fingerprint\":\"" + key.get("fingerprint").asText() + "\"}").status()).isEqualTo(200);
            assertThat(rig.runNow(api, jobId).get("state").asText()).isEqualTo("succeeded");
            eventually(BackupRig.WAIT, () -> assertThat(subjects()).anySatisfy(subject -> assertThat(subject)
                    .startsWith("[RESOLVED] Backup destination's host key changed on ")));
        }
    }

    private void emailChannel(ApiClient api) {
        api.addMailChannel(smtpPort);
    }

    private List<String> subjects() {
        return Arrays.stream(smtp.getReceivedMessages()).map(BackupFailuresIT::subject).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
