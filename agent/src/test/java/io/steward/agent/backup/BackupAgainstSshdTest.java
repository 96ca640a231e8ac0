package io.steward.agent.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.Retention;
import io.steward.core.backup.SnapshotName;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.AgentMessage.BackupRunResult;
import io.steward.core.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups as the agent runs them, against a real sshd with each agent's key confined by a real rrsync, with the real
 * rsync: snapshots, hard links, markers, retention, host keys, authentication, unreachable destinations, vanished
 * files, restores. One sshd serves the class; each test has its own agent, source and destination.
 */
class BackupAgainstSshdTest {
    private static final Retention KEEP_ALL = new Retention(100, 0, 0, 0);

    @TempDir
    static Path shared;

    private static SshServer sshd;

    private Path directory;
    private Path source;
    private BackupHarness agent;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = SshServer.start(shared.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() {
        sshd.close();
    }

    @BeforeEach
    void startAgent(TestInfo test) throws Exception {
        directory = Files.createDirectories(shared.resolve(test.getTestMethod().orElseThrow().getName()));
        source = Files.createDirectories(directory.resolve("source/www"));
        agent = BackupHarness.start(sshd, directory, List.of(directory.resolve("source").toString()));
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    private static String snapshotAt(String isoInstant) {
        return SnapshotName.of(Instant.parse(isoInstant));
    }

    private Path write(String relative, String content) throws Exception {
        Path file = source.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void aRunCopiesTheSourcesIntoASnapshotMarkedCompleteAndTheNextHardLinksWhatDidNotChange() throws Exception {
        Path index = write("index.html", "<h1>hello</h1>");
        Path logo = write("img/logo.png", "PNG".repeat(1000));
        Path notes = write("notes.txt", "first");
        write("scratch.tmp", "excluded by the job");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(source.resolve("link"), Path.of("img/logo.png"));
        String first = snapshotAt("2026-12-01T02:00:00Z");

        BackupRunResult result = agent.run(agent.backupRun("run-1", agent.job(List.of(source)), first, KEEP_ALL));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(BackupOutcome.SUCCEEDED);
        assertThat(result.snapshot()).isEqualTo(first);
        assertThat(result.snapshots()).containsExactly(first);
        assertThat(result.stats().filesTotal()).isEqualTo(3);
        assertThat(result.stats().filesTransferred()).isEqualTo(3);
        // rsync counts a symbolic link's target ("img/logo.png") in the total size.
        assertThat(result.stats().totalBytes()).isEqualTo(14 + 3000 + 5 + 12);
        assertThat(result.stats().exitCode()).isZero();
        assertThat(Files.readString(agent.inSnapshot(first, index))).isEqualTo("<h1>hello</h1>");
        assertThat(agent.inSnapshot(first, source.resolve("scratch.tmp"))).doesNotExist();
        assertThat(Files.readString(agent.marker(first))).contains("\"runId\":\"run-1\"")
                .contains("\"filesTotal\":3");
        List<AgentMessage.BackupProgress> progress = agent.sent(AgentMessage.BackupProgress.class,
                update -> update.commandId().equals("run-1"));
        assertThat(progress.get(0).phase()).isEqualTo("starting");
        assertThat(progress).extracting(AgentMessage.BackupProgress::phase).contains("listing", "transferring",
                "marking");

        Files.writeString(notes, "second, longer");
        Files.setLastModifiedTime(notes, FileTime.from(Instant.parse("2026-12-01T12:00:00Z")));
        String second = snapshotAt("2026-12-02T02:00:00Z");
        BackupRunResult next = agent.run(agent.backupRun("run-2", agent.job(List.of(source)), second, KEEP_ALL));

        assertThat(next.outcome()).as(next.toString()).isEqualTo(BackupOutcome.SUCCEEDED);
        assertThat(next.snapshots()).containsExactly(first, second);
        assertThat(next.stats().filesTransferred()).isEqualTo(1);
        assertThat(inode(agent.inSnapshot(second, index))).isEqualTo(inode(agent.inSnapshot(first, index)));
        assertThat(inode(agent.inSnapshot(second, logo))).isEqualTo(inode(agent.inSnapshot(first, logo)));
        assertThat(inode(agent.inSnapshot(second, notes))).isNotEqualTo(inode(agent.inSnapshot(first, notes)));
        assertThat(Files.readString(agent.inSnapshot(first, notes))).isEqualTo("first");
        assertThat(Files.readString(agent.inSnapshot(second, notes))).isEqualTo("second, longer");
    }
}
