package io.steward.agent.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.Retention;
import io.steward.core.backup.SnapshotName;
import io.steward.core.backup.TreeEntry;
import io.steward.core.protocol.AgentMessage.BackupRunResult;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

    @Test
    void aRepeatedRunIsAnsweredWithItsResultAndNeverRunTwice() throws Exception {
        write("index.html", "<h1>hello</h1>");
        NodeMessage.BackupRun run = agent.backupRun("run-1", agent.job(List.of(source)),
                snapshotAt("2026-12-01T02:00:00Z"), KEEP_ALL);
        BackupRunResult result = agent.run(run);
        assertThat(result.outcome()).isEqualTo(BackupOutcome.SUCCEEDED);

        agent.backups.handle(run); // the node did not get the result and asks again
        Eventually.eventually(BackupHarness.WAIT, () -> assertThat(agent.sent(BackupRunResult.class,
                again -> again.runId().equals("run-1"))).containsExactly(result, result));
        Path outbox = agent.stateDirectory.resolve("backups/outbox/run-1.json");
        assertThat(outbox).exists();
        agent.backups.handle(new NodeMessage.BackupAck("run-1"));
        Eventually.eventually(BackupHarness.WAIT, () -> assertThat(outbox).doesNotExist());

        agent.backups.handle(run); // acknowledged already: ignored
        agent.backups.handle(new NodeMessage.FetchHostKey("key-1", agent.destinationSpec()));
        AgentMessage.HostKeyFetched key = agent.await(AgentMessage.HostKeyFetched.class, fetched -> true);
        assertThat(key.hostKey()).isEqualTo(sshd.hostKey());
        assertThat(agent.sent(BackupRunResult.class, again -> again.runId().equals("run-1"))).hasSize(2);
        try (Stream<Path> snapshots = Files.list(agent.destination.resolve("snapshots"))) {
            assertThat(snapshots).hasSize(1);
        }
    }

    @Test
    void retentionAfterASeriesOfRunsKeepsExactlyWhatItSaysAndRemovesAttempts() throws Exception {
        write("index.html", "<h1>hello</h1>");
        Retention retention = new Retention(1, 2, 0, 0);
        List<String> runs = List.of(snapshotAt("2026-11-30T02:00:00Z"), snapshotAt("2026-12-01T02:00:00Z"),
                snapshotAt("2026-12-01T14:00:00Z"), snapshotAt("2026-12-02T02:00:00Z"));
        List<List<String>> kept = List.of(List.of(runs.get(0)), List.of(runs.get(0), runs.get(1)),
                List.of(runs.get(0), runs.get(2)), List.of(runs.get(2), runs.get(3)));
        List<Retention.Snapshot> made = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (i == 3) {
                // An attempt cut short after the last good snapshot: the run links to it, then removes it.
                Files.createDirectories(agent.snapshot(snapshotAt("2026-12-01T20:00:00Z")));
            }
            BackupRunResult result = agent.run(agent.backupRun("run-" + i, agent.job(List.of(source)),
                    runs.get(i), retention));
            made.add(new Retention.Snapshot(runs.get(i), SnapshotName.takenAt(runs.get(i)).orElseThrow()));
            assertThat(result.outcome()).as(result.toString()).isEqualTo(BackupOutcome.SUCCEEDED);
            assertThat(result.snapshots()).as("run " + i).containsExactlyElementsOf(kept.get(i))
                    .containsExactlyInAnyOrderElementsOf(retention.keep(made, ZoneOffset.UTC));
            made.removeIf(snapshot -> result.pruned().contains(snapshot.name()));
            try (Stream<Path> directories = Files.list(agent.destination.resolve("snapshots"));
                    Stream<Path> markers = Files.list(agent.destination.resolve(".steward/complete"))) {
                assertThat(directories.map(path -> path.getFileName().toString())).as("run " + i)
                        .containsExactlyInAnyOrderElementsOf(kept.get(i));
                assertThat(markers.map(path -> path.getFileName().toString())).as("run " + i)
                        .containsExactlyInAnyOrderElementsOf(kept.get(i));
            }
        }
    }

    @Test
    void aDestinationWithAnotherHostKeyIsRefusedAndGetsNothing() throws Exception {
        write("index.html", "<h1>hello</h1>");
        String pinned = sshd.hostKey().fingerprint();
        NodeMessage.BackupRun run = agent.backupRun("run-1", agent.job(List.of(source)),
                snapshotAt("2026-12-01T02:00:00Z"), KEEP_ALL);
        sshd.rotateHostKey();

        BackupRunResult result = agent.run(run);

        assertThat(result.outcome()).isEqualTo(BackupOutcome.FAILED);
        assertThat(result.failure()).isEqualTo(BackupFailure.HOST_KEY_CHANGED);
        assertThat(result.reason()).contains(sshd.hostKey().fingerprint()).doesNotContain(pinned)
                .contains("nothing was sent");
        assertThat(result.lastLines()).contains("Host key verification failed.");
        assertThat(agent.destination.resolve("snapshots")).doesNotExist();
        assertThat(agent.destination.resolve(".steward")).doesNotExist();
    }

    @Test
    void aKeyTheDestinationDoesNotKnowIsRefused() throws Exception {
        write("index.html", "<h1>hello</h1>");
        try (BackupHarness stranger = BackupHarness.unauthorized(sshd, directory.resolve("stranger"),
                List.of(source.toString()))) {
            BackupRunResult result = stranger.run(stranger.backupRun("run-1", stranger.job(List.of(source)),
                    snapshotAt("2026-12-01T02:00:00Z"), KEEP_ALL));
            assertThat(result.failure()).as(result.toString()).isEqualTo(BackupFailure.AUTH_REFUSED);
            assertThat(result.reason()).contains(sshd.user() + "@127.0.0.1");
        }
    }

    @Test
    void aStoppedDestinationIsUnreachable() throws Exception {
        write("index.html", "<h1>hello</h1>");
        try (SshServer other = SshServer.start(directory.resolve("other-sshd"))) {
            other.authorize(agent.backups.publicKey(), agent.destination);
            other.stop();
            BackupRunResult result = agent.run(new NodeMessage.BackupRun("run-1", new io.steward.core.backup
                    .BackupJobSpec("www", List.of(source.toString()), List.of(), new io.steward.core.backup
                    .BackupDestination(other.host(), other.port(), other.user(), agent.destination.toString()),
                    null, null), snapshotAt("2026-12-01T02:00:00Z"), other.hostKey(), KEEP_ALL, "UTC"));
            assertThat(result.failure()).as(result.toString()).isEqualTo(BackupFailure.UNREACHABLE);
            assertThat(result.reason()).contains("Connection refused");
        }
    }

    @Test
    void aFileThatVanishesDuringTheRunIsAWarningThatNamesIt() throws Exception {
        Path big = source.resolve("v/a-big.bin");
        Files.createDirectories(big.getParent());
        Files.write(big, new byte[2 << 20]);
        Path victim = write("v/z-victim.txt", "here at the start");
        String name = snapshotAt("2026-12-01T02:00:00Z");
        agent.backups.handle(agent.backupRun("run-1", agent.job(List.of(source), 1024), name, KEEP_ALL));
        // The file list is sent before the first file's data: once a-big.bin arrives, the victim is listed.
        Path arriving = agent.inSnapshot(name, big.getParent());
        Eventually.await(BackupHarness.WAIT, "a-big.bin arriving", () -> temporaryFile(arriving, "a-big.bin"));
        Files.delete(victim);

        BackupRunResult result = agent.await(BackupRunResult.class, found -> found.runId().equals("run-1"));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(BackupOutcome.WARNING);
        assertThat(result.failure()).isNull();
        assertThat(result.problemFiles()).containsExactly(victim.toString());
        assertThat(result.reason()).startsWith("1 files vanished");
        assertThat(result.stats().exitCode()).isEqualTo(24);
        assertThat(result.snapshot()).isEqualTo(name);
        assertThat(agent.marker(name)).exists();
        assertThat(Files.size(agent.inSnapshot(name, big))).isEqualTo(2 << 20);
    }

    private static Path temporaryFile(Path directory, String name) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().startsWith("." + name + "."))
                    .findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void aDeletedFileComesBackWithItsContentModeAndTimeAndADirectoryUnderATarget() throws Exception {
        Path notes = write("notes.txt", "keep me");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-r-----"));
        FileTime modified = FileTime.from(Instant.parse("2026-11-20T10:15:30.123456789Z"));
        Files.setLastModifiedTime(notes, modified);
        Path logo = write("img/logo.png", "PNG".repeat(100));
        String name = snapshotAt("2026-12-01T02:00:00Z");
        assertThat(agent.run(agent.backupRun("run-1", agent.job(List.of(source)), name, KEEP_ALL)).outcome())
                .isEqualTo(BackupOutcome.SUCCEEDED);
        Files.delete(notes);

        agent.backups.handle(new NodeMessage.RestoreFiles("restore-1", agent.job(List.of(source)), sshd.hostKey(),
                name, notes.toString(), null));
        AgentMessage.RestoreResult restored = agent.await(AgentMessage.RestoreResult.class,
                result -> result.restoreId().equals("restore-1"));

        assertThat(restored.ok()).as(restored.toString()).isTrue();
        assertThat(restored.files()).isEqualTo(1);
        assertThat(restored.bytes()).isEqualTo(7);
        assertThat(Files.readString(notes)).isEqualTo("keep me");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(notes))).isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(notes)).isEqualTo(modified);
        assertThat(agent.sent(AgentMessage.BackupProgress.class, update -> update.commandId().equals("restore-1")))
                .extracting(AgentMessage.BackupProgress::phase).contains("starting", "restoring");

        Path target = Files.createDirectories(directory.resolve("source/restored"));
        agent.backups.handle(new NodeMessage.RestoreFiles("restore-2", agent.job(List.of(source)), sshd.hostKey(),
                name, logo.getParent().toString(), target.toString()));
        assertThat(agent.await(AgentMessage.RestoreResult.class, result -> result.restoreId().equals("restore-2"))
                .ok()).isTrue();
        assertThat(Files.readString(target.resolve(logo.toString().substring(1)))).isEqualTo("PNG".repeat(100));

        // A target that is a symbolic link out of allowSources is refused before anything runs.
        Path outside = Files.createDirectories(directory.resolve("outside"));
        Files.createSymbolicLink(directory.resolve("source/escape"), outside);
        agent.backups.handle(new NodeMessage.RestoreFiles("restore-3", agent.job(List.of(source)), sshd.hostKey(),
                name, logo.toString(), directory.resolve("source/escape/here").toString()));
        AgentMessage.RestoreResult refused = agent.await(AgentMessage.RestoreResult.class,
                result -> result.restoreId().equals("restore-3"));
        assertThat(refused.failure()).isEqualTo(BackupFailure.NOT_ALLOWED);
        assertThat(refused.reason()).contains("resolves to " + outside.resolve("here"));
        try (Stream<Path> nothing = Files.list(outside)) {
            assertThat(nothing).isEmpty();
        }
    }

    @Test
    void browsingListsOneDirectoryOfASnapshotWithOddNamesAndLinks() throws Exception {
        write("index.html", "<h1>hello</h1>");
        write("we ird [1]*?/inner.txt", "x");
        Files.createSymbolicLink(source.resolve("link"), Path.of("index.html"));
        String name = snapshotAt("2026-12-01T02:00:00Z");
        assertThat(agent.run(agent.backupRun("run-1", agent.job(List.of(source)), name, KEEP_ALL)).outcome())
                .isEqualTo(BackupOutcome.SUCCEEDED);

        List<TreeEntry> top = browse("browse-1", name, "/").entries();
        assertThat(top).extracting(TreeEntry::name).containsExactly(source.getName(0).toString());
        List<TreeEntry> entries = browse("browse-2", name, source.toString()).entries();
        assertThat(entries).extracting(TreeEntry::name).containsExactly("index.html", "link", "we ird [1]*?");
        TreeEntry index = entries.get(0);
        assertThat(index.kind()).isEqualTo(TreeEntry.Kind.FILE);
        assertThat(index.size()).isEqualTo(14);
        assertThat(index.mode()).isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                source.resolve("index.html"))));
        assertThat(entries.get(1).kind()).isEqualTo(TreeEntry.Kind.SYMLINK);
        assertThat(entries.get(1).target()).isEqualTo("index.html");
        assertThat(entries.get(2).kind()).isEqualTo(TreeEntry.Kind.DIRECTORY);
        // The glob characters are taken literally: rrsync would otherwise expand them.
        assertThat(browse("browse-3", name, source.resolve("we ird [1]*?").toString()).entries())
                .extracting(TreeEntry::name).containsExactly("inner.txt");
        AgentMessage.SnapshotTree missing = browse("browse-4", name, source.resolve("nope").toString());
        assertThat(missing.failure()).isEqualTo(BackupFailure.RSYNC_FAILED);
        assertThat(missing.error()).contains("not found");
    }

    private AgentMessage.SnapshotTree browse(String id, String snapshot, String path) {
        agent.backups.handle(new NodeMessage.BrowseSnapshot(id, agent.job(List.of(source)), sshd.hostKey(),
                snapshot, path));
        return agent.await(AgentMessage.SnapshotTree.class, tree -> tree.commandId().equals(id));
    }

    @Test
    void verificationPassesThenFindsAFileDamagedOnTheDestination() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(write("data/file-" + i + ".txt", "content of file " + i));
        }
        String name = snapshotAt("2026-12-01T02:00:00Z");
        assertThat(agent.run(agent.backupRun("run-1", agent.job(List.of(source)), name, KEEP_ALL)).outcome())
                .isEqualTo(BackupOutcome.SUCCEEDED);

        AgentMessage.VerifyResult passed = verify("verify-1");
        assertThat(passed.ok()).as(passed.toString()).isTrue();
        assertThat(passed.snapshot()).isEqualTo(name);
        assertThat(passed.checked()).isEqualTo(5);
        assertThat(passed.coveragePercent()).isEqualTo(100.0);
        assertThat(agent.stateDirectory.resolve("backups/work/verify-1")).doesNotExist();

        // The destination's copy rots: same size, same time, one byte different.
        Path damaged = agent.inSnapshot(name, files.get(2));
        FileTime time = Files.getLastModifiedTime(damaged);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[0] ^= 1;
        Files.write(damaged, bytes);
        Files.setLastModifiedTime(damaged, time);
        // And one source file changes after the snapshot: it cannot be compared.
        Files.writeString(files.get(4), "changed since the snapshot");

        AgentMessage.VerifyResult failed = verify("verify-2");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.failure()).isEqualTo(BackupFailure.MISMATCH);
        assertThat(failed.mismatched()).containsExactly(files.get(2).toString());
        assertThat(failed.skippedChanged()).isEqualTo(1);
        assertThat(failed.checked()).isEqualTo(4);
        assertThat(agent.stateDirectory.resolve("backups/outbox/verify-2.json")).exists();
    }

    private AgentMessage.VerifyResult verify(String id) {
        agent.backups.handle(new NodeMessage.VerifySnapshot(id, agent.job(List.of(source)), sshd.hostKey(), 1));
        return agent.await(AgentMessage.VerifyResult.class, result -> result.verifyId().equals(id));
    }

    @Test
    void aKilledRunLeavesNoMarkerAndTheNextRunResumesItsPartialFile() throws Exception {
        Path big = source.resolve("big.bin");
        byte[] content = new byte[24 << 20];
        new java.util.Random(42).nextBytes(content);
        Files.write(big, content);
        String first = snapshotAt("2026-12-01T02:00:00Z");
        agent.backups.handle(agent.backupRun("run-1", agent.job(List.of(source), 4096), first, KEEP_ALL));
        Path arriving = agent.inSnapshot(first, source);
        Eventually.await(BackupHarness.WAIT, "4 MiB of big.bin", () -> {
            Path partial = temporaryFile(arriving, "big.bin");
            return partial != null && partial.toFile().length() >= 4 << 20 ? partial : null;
        });

        // While it runs: the job takes no second run, and its destination cannot be browsed.
        BackupRunResult second = agent.run(agent.backupRun("run-2", agent.job(List.of(source)),
                snapshotAt("2026-12-01T03:00:00Z"), KEEP_ALL));
        assertThat(second.outcome()).isEqualTo(BackupOutcome.REFUSED);
        assertThat(second.failure()).isEqualTo(BackupFailure.ALREADY_RUNNING);
        assertThat(browse("browse-1", first, "/").failure()).isEqualTo(BackupFailure.DESTINATION_BUSY);

        // The agent's rsync dies; the destination's side (under the test's sshd) lives on, as on a real server.
        clientRsyncs().forEach(ProcessHandle::destroyForcibly);
        BackupRunResult killed = agent.await(BackupRunResult.class, found -> found.runId().equals("run-1"));
        assertThat(killed.outcome()).isEqualTo(BackupOutcome.FAILED);
        assertThat(agent.marker(first)).doesNotExist();

        String third = snapshotAt("2026-12-01T04:00:00Z");
        BackupRunResult resumed = agent.run(agent.backupRun("run-3", agent.job(List.of(source)), third,
                KEEP_ALL));
        assertThat(resumed.outcome()).as(resumed.toString()).isEqualTo(BackupOutcome.SUCCEEDED);
        // At least the 4 MiB that had arrived are not sent again (killed right at 4 MiB, exactly the rest is).
        assertThat(resumed.stats().bytesTransferred()).as("data sent again")
                .isLessThanOrEqualTo(content.length - (4 << 20));
        assertThat(Files.readAllBytes(agent.inSnapshot(third, big))).isEqualTo(content);
        assertThat(resumed.snapshots()).containsExactly(third);
        assertThat(agent.snapshot(first)).doesNotExist();
    }

    /** The rsync processes the agent started (the destination's run under the sshd, a grandchild of the JVM). */
    private static List<ProcessHandle> clientRsyncs() {
        return ProcessHandle.current().children()
                .filter(process -> process.info().command().orElse("").equals("/usr/bin/rsync")).toList();
    }

    @Test
    void stoppingTheAgentInterruptsARunAndTheResultOutlivesIt() throws Exception {
        Files.write(source.resolve("big.bin"), new byte[8 << 20]);
        agent.backups.handle(agent.backupRun("run-1", agent.job(List.of(source), 1024),
                snapshotAt("2026-12-01T02:00:00Z"), KEEP_ALL));
        agent.await(AgentMessage.BackupProgress.class, update -> update.phase().equals("transferring"));

        agent.close();

        BackupRunResult interrupted = agent.await(BackupRunResult.class, found -> found.runId().equals("run-1"));
        assertThat(interrupted.failure()).isEqualTo(BackupFailure.INTERRUPTED);
        assertThat(clientRsyncs()).isEmpty();
        // A command a crashed agent left behind is reported interrupted as well.
        new io.steward.agent.backup.store.RunningJournal(agent.stateDirectory.resolve("backups/running"))
                .begin(new io.steward.agent.backup.store.StartedCommand("run-0", io.steward.core.backup
                        .BackupOperation.RUN, "www", Instant.parse("2026-12-01T01:00:00Z")));

        try (BackupHarness restarted = agent.restarted()) {
            restarted.backups.welcomed();
            AgentMessage.BackupInfo info = restarted.await(AgentMessage.BackupInfo.class, found -> true);
            assertThat(info.enabled()).isTrue();
            assertThat(info.publicKey()).isEqualTo(agent.backups.publicKey());
            assertThat(restarted.await(BackupRunResult.class, found -> found.runId().equals("run-1")))
                    .isEqualTo(interrupted);
            BackupRunResult crashed = restarted.await(BackupRunResult.class, found -> found.runId().equals("run-0"));
            assertThat(crashed.failure()).isEqualTo(BackupFailure.INTERRUPTED);
            assertThat(crashed.reason()).contains("killed or crashed");
        }
    }
}
