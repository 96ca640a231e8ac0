package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.Retention;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.retry.Backoff;
import io.steward.core.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups through the real link: a real agent connected to a real WebSocket node takes a run, sends its progress
 * and result, and sends the result again after every reconnect until the node acknowledges it.
 */
class AgentBackupLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "enroll-token";

    @TempDir
    Path directory;

    @Test
    void aRunsResultIsSentAgainAfterEachReconnectUntilTheNodeAcknowledgesIt() throws Exception {
        Path source = Files.createDirectories(directory.resolve("source/www"));
        Files.writeString(source.resolve("index.html"), "<h1>hello</h1>", UTF_8);
        Path destination = Files.createDirectories(directory.resolve("destination"));
        Path allowList = directory.resolve("backups.json");
        Files.writeString(allowList, "{\"allowSources\": [\"" + source.getParent() + "\"], "
                + "\"allowDestinations\": [\"127.0.0.1\"]}", UTF_8);
        Path stateDirectory = directory.resolve("state");
        try (SshServer sshd = SshServer.start(directory.resolve("sshd"));
                FakeNode node = FakeNode.start().acceptEnrollmentToken(TOKEN);
                Agent agent = Agent.start(AgentSettings.builder()
                        .hub(node.hub())
                        .token(TOKEN)
                        .interval(Duration.ofSeconds(60))
                        .stateDirectory(stateDirectory)
                        .backupsFile(allowList)
                        .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0))
                        .build(), new NumberedSource())) {
            AgentMessage.BackupInfo info = await(WAIT, "backup info", () -> first(node.received(
                    AgentMessage.BackupInfo.class)));
            assertThat(info.enabled()).isTrue();
            assertThat(info.allowSources()).containsExactly(source.getParent().toString());
            assertThat(info.rsyncVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(info.publicKey()).startsWith("ssh-ed25519 ").endsWith(" steward-agent@"
                    + io.steward.agent.collect.HostName.local().replaceAll("[^A-Za-z0-9._-]", "-"));
            sshd.authorize(info.publicKey(), destination);

            BackupJobSpec job = new BackupJobSpec("www", List.of(source.toString()), List.of(),
                    new BackupDestination(sshd.host(), sshd.port(), sshd.user(), destination.toString()), null, null);
            node.sendToAgents(new NodeMessage.BackupRun("run-1", job, "2026-12-02T083000Z", sshd.hostKey(),
                    Retention.DEFAULT, "Europe/Berlin"));

            AgentMessage.BackupRunResult result = await(WAIT, "the run's result", () -> first(
                    node.received(AgentMessage.BackupRunResult.class)));
            assertThat(result.outcome()).as(result.toString()).isEqualTo(BackupOutcome.SUCCEEDED);
            List<AgentMessage.BackupProgress> progress = node.received(AgentMessage.BackupProgress.class);
            assertThat(progress.get(0).phase()).isEqualTo("starting");
            assertThat(progress.get(0).commandId()).isEqualTo("run-1");
            Path kept = stateDirectory.resolve("backups/outbox/run-1.json");
            assertThat(kept).exists();

            // Not acknowledged: after a reconnect the agent says what it allows and sends the result again.
            node.stop();
            node.restart();
            eventually(WAIT, () -> {
                assertThat(node.received(AgentMessage.BackupInfo.class)).hasSize(2);
                assertThat(node.received(AgentMessage.BackupRunResult.class)).containsExactly(result, result);
            });

            node.sendToAgents(new NodeMessage.BackupAck("run-1"));
            eventually(WAIT, () -> assertThat(kept).doesNotExist());

            node.stop();
            node.restart();
            eventually(WAIT, () -> assertThat(node.received(AgentMessage.BackupInfo.class)).hasSize(3));
            // Whatever the welcome sent went out before the answer to a later question.
            node.sendToAgents(new NodeMessage.FetchHostKey("key-1", job.destination()));
            AgentMessage.HostKeyFetched key = await(WAIT, "the host key", () -> first(
                    node.received(AgentMessage.HostKeyFetched.class)));
            assertThat(key.hostKey()).isEqualTo(sshd.hostKey());
            assertThat(node.received(AgentMessage.BackupRunResult.class)).hasSize(2);
        }
    }

    private static <T> T first(List<T> found) {
        return found.isEmpty() ? null : found.get(0);
    }
}
