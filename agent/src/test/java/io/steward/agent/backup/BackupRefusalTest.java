package io.steward.agent.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.Retention;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node cannot make the agent read or send anything outside its own lists: refused commands say why and start no
 * process. The programs here are scripts that only write down how they were called.
 */
class BackupRefusalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HostKey KEY =
            HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
    private static final String SNAPSHOT = "2026-12-02T083000Z";
    private static final BackupDestination ALLOWED = new BackupDestination("backup.example.com", 22, "stw", "/b");
    private static final BackupDestination EVIL = new BackupDestination("evil.example.com", 22, "stw", "/b");

    @TempDir
    Path directory;

    private final List<AgentMessage> sent = Collections.synchronizedList(new ArrayList<>());

    private Path fake(String name, Path calls) throws Exception {
        Path program = directory.resolve("bin").resolve(name);
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#!/bin/sh\necho \"" + name + " $*\" >> " + calls + "\n", UTF_8);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }

    private <T extends AgentMessage> T await(Class<T> type, java.util.function.Predicate<T> which) {
        return Eventually.await(WAIT, type.getSimpleName(), () -> {
            synchronized (sent) {
                return sent.stream().filter(type::isInstance).map(type::cast).filter(which).findFirst()
                        .orElse(null);
            }
        });
    }

    @Test
    void aCommandOutsideTheAllowListsIsRefusedAndStartsNothing() throws Exception {
        Path calls = directory.resolve("calls.log");
        Path allowed = Files.createDirectories(directory.resolve("allowed/www"));
        BackupsConfig config = new BackupsConfig(List.of(allowed.getParent().toString()),
                List.of("backup.example.com"), new Programs(fake("rsync", calls), fake("ssh", calls),
                        fake("ssh-keyscan", calls), Programs.DEBIAN.sshKeygen()));
        try (EnabledBackups backups = EnabledBackups.start(config, directory.resolve("state"), "host", "test",
                sent::add, Clock.systemUTC())) {
            // The scripts do run: rsync was asked its version at start.
            assertThat(Files.readAllLines(calls)).containsExactly("rsync --version");
            BackupJobSpec good = new BackupJobSpec("www", List.of(allowed.toString()), List.of(), ALLOWED, null,
                    null);
            BackupJobSpec shadow = new BackupJobSpec("www", List.of("/etc"), List.of(), ALLOWED, null, null);
            BackupJobSpec elsewhere = new BackupJobSpec("www", List.of(allowed.toString()), List.of(), EVIL, null,
                    null);

            backups.handle(new NodeMessage.BackupRun("run-1", shadow, SNAPSHOT, KEY, Retention.DEFAULT, "UTC"));
            AgentMessage.BackupRunResult run = await(AgentMessage.BackupRunResult.class,
                    result -> result.runId().equals("run-1"));
            assertThat(run.outcome()).isEqualTo(BackupOutcome.REFUSED);
            assertThat(run.failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
            assertThat(run.reason()).isEqualTo("source /etc is outside this agent's allowSources ["
                    + allowed.getParent() + "]");
            assertThat(directory.resolve("state/backups/outbox/run-1.json")).exists();

            backups.handle(new NodeMessage.BackupRun("run-2", elsewhere, SNAPSHOT, KEY, Retention.DEFAULT, "UTC"));
            assertThat(await(AgentMessage.BackupRunResult.class, result -> result.runId().equals("run-2")).reason())
                    .isEqualTo("destination evil.example.com is not in this agent's allowDestinations "
                            + "[backup.example.com]");

            backups.handle(new NodeMessage.RestoreFiles("restore-1", good, KEY, SNAPSHOT, "/etc/shadow", null));
            assertThat(await(AgentMessage.RestoreResult.class, result -> result.restoreId().equals("restore-1"))
                    .reason()).isEqualTo("path /etc/shadow is not within the job's sources [" + allowed + "]");
            backups.handle(new NodeMessage.RestoreFiles("restore-2", good, KEY, SNAPSHOT, allowed + "/a", "/etc"));
            assertThat(await(AgentMessage.RestoreResult.class, result -> result.restoreId().equals("restore-2"))
                    .failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
            backups.handle(new NodeMessage.BrowseSnapshot("browse-1", good, KEY, SNAPSHOT, "/etc"));
            assertThat(await(AgentMessage.SnapshotTree.class, tree -> tree.commandId().equals("browse-1"))
                    .failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
            backups.handle(new NodeMessage.VerifySnapshot("verify-1", shadow, KEY, 30));
            assertThat(await(AgentMessage.VerifyResult.class, result -> result.verifyId().equals("verify-1"))
                    .failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
            backups.handle(new NodeMessage.FetchHostKey("key-1", EVIL));
            assertThat(await(AgentMessage.HostKeyFetched.class, fetched -> fetched.commandId().equals("key-1"))
                    .failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
            // An id that would name a file elsewhere is refused too (answered live: it cannot be kept).
            backups.handle(new NodeMessage.BackupRun("../../x", good, SNAPSHOT, KEY, Retention.DEFAULT, "UTC"));
            assertThat(await(AgentMessage.BackupRunResult.class, result -> result.runId().equals("../../x"))
                    .reason()).contains("command id");
            // An allowed job whose source is gone fails before rsync runs.
            BackupJobSpec gone = new BackupJobSpec("www", List.of(allowed + "/gone"), List.of(), ALLOWED, null,
                    null);
            backups.handle(new NodeMessage.BackupRun("run-3", gone, SNAPSHOT, KEY, Retention.DEFAULT, "UTC"));
            AgentMessage.BackupRunResult missing = await(AgentMessage.BackupRunResult.class,
                    result -> result.runId().equals("run-3"));
            assertThat(missing.failure()).isEqualTo(BackupFailure.SOURCE_MISSING);
            assertThat(missing.reason()).isEqualTo("source " + allowed + "/gone does not exist");
            assertThat(Files.readAllLines(calls)).containsExactly("rsync --version");

            // Only an allowed command starts a program.
            backups.handle(new NodeMessage.FetchHostKey("key-2", ALLOWED));
            await(AgentMessage.HostKeyFetched.class, fetched -> fetched.commandId().equals("key-2"));
            assertThat(Files.readAllLines(calls)).containsExactly("rsync --version",
                    "ssh-keyscan -T 10 -p 22 backup.example.com");
        }
    }

    @Test
    void withoutABackupsFileEveryCommandIsRefusedAndTheNodeIsToldSo() {
        DisabledBackups backups = new DisabledBackups(sent::add, Clock.systemUTC());
        BackupJobSpec job = new BackupJobSpec("www", List.of("/srv"), List.of(), ALLOWED, null, null);
        backups.welcomed();
        backups.handle(new NodeMessage.BackupRun("run-1", job, SNAPSHOT, KEY, Retention.DEFAULT, "UTC"));
        backups.handle(new NodeMessage.FetchHostKey("key-1", ALLOWED));
        backups.handle(new NodeMessage.BrowseSnapshot("browse-1", job, KEY, SNAPSHOT, "/srv"));
        backups.handle(new NodeMessage.RestoreFiles("restore-1", job, KEY, SNAPSHOT, "/srv/a", null));
        backups.handle(new NodeMessage.VerifySnapshot("verify-1", job, KEY, 30));
        backups.handle(new NodeMessage.BackupAck("run-1"));
        assertThat(sent).hasSize(6);
        assertThat(sent.get(0)).isEqualTo(new AgentMessage.BackupInfo(false, null, List.of(), List.of(), null));
        AgentMessage.BackupRunResult run = (AgentMessage.BackupRunResult) sent.get(1);
        assertThat(run.outcome()).isEqualTo(BackupOutcome.REFUSED);
        assertThat(run.failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
        assertThat(run.reason()).isEqualTo("backups are not enabled on this agent: start it with --backups FILE");
        assertThat(((AgentMessage.HostKeyFetched) sent.get(2)).failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
        assertThat(((AgentMessage.SnapshotTree) sent.get(3)).failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
        assertThat(((AgentMessage.RestoreResult) sent.get(4)).failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
        assertThat(((AgentMessage.VerifyResult) sent.get(5)).failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
    }
}
