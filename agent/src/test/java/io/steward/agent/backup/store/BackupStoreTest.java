package io.steward.agent.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.protocol.AgentMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent keeps on disk for backups survives a restart and goes only when it should. */
class BackupStoreTest {
    private static final Instant T = Instant.parse("2026-12-02T08:30:00Z");

    @TempDir
    Path directory;

    private static AgentMessage.BackupRunResult result(String runId) {
        return new AgentMessage.BackupRunResult(runId, "www", BackupOutcome.FAILED, BackupFailure.UNREACHABLE,
                "cannot reach the destination", null, null, null, List.of("ssh: connect to host b port 22"), null,
                null, T, T.plusSeconds(3));
    }

    @Test
    void aResultStaysAcrossRestartsUntilItIsAcknowledged() throws Exception {
        Path outboxDirectory = directory.resolve("outbox");
        ResultOutbox outbox = new ResultOutbox(outboxDirectory);
        outbox.put("run-2", result("run-2"));
        outbox.put("run-1", result("run-1"));
        try (Stream<Path> files = Files.list(outboxDirectory)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("run-1.json", "run-2.json");
        }

        ResultOutbox afterRestart = new ResultOutbox(outboxDirectory);
        assertThat(afterRestart.all()).containsExactly(result("run-1"), result("run-2"));
        assertThat(afterRestart.get("run-2")).contains(result("run-2"));
        assertThat(afterRestart.remove("run-1")).isTrue();
        assertThat(afterRestart.remove("run-1")).isFalse();
        assertThat(new ResultOutbox(outboxDirectory).all()).containsExactly(result("run-2"));
    }

    @Test
    void aWriteCutShortLeavesThePreviousResultAndABadFileIsSetAside() throws Exception {
        Path outboxDirectory = directory.resolve("outbox");
        ResultOutbox outbox = new ResultOutbox(outboxDirectory);
        outbox.put("run-1", result("run-1"));
        // A crash between writing the temporary file and renaming it over the result:
        Files.writeString(outboxDirectory.resolve("run-1.json.tmp"), "{\"type\":\"backup-run-res");
        Files.writeString(outboxDirectory.resolve("run-9.json"), "not json");
        assertThat(outbox.all()).containsExactly(result("run-1"));
        assertThat(outboxDirectory.resolve("run-9.json.bad")).exists();
        outbox.put("run-1", result("run-1"));
        assertThat(outboxDirectory.resolve("run-1.json.tmp")).doesNotExist();
    }

    @Test
    void idsThatCouldNameAnotherFileAreRefused() {
        for (String id : new String[] {"../../etc/cron.d/x", ".hidden", "a/b", "", "x.json.tmp"}) {
            assertThat(CommandIds.valid(id)).as(id).isFalse();
        }
        assertThat(CommandIds.valid("0b6cfa36-7a3b-4c4e-9d2e-3f8b1f0c9a11")).isTrue();
        assertThat(CommandIds.valid("run-2026.12.02_1")).isTrue();
        assertThatThrownBy(() -> new ResultOutbox(directory).put("../x", result("x")))
                .hasMessageContaining("command id");
    }

    @Test
    void theLedgerRemembersAcceptedIdsAcrossRestartsAndKeepsTheNewest() throws Exception {
        Path file = directory.resolve("recent-ids");
        CommandLedger ledger = CommandLedger.open(file);
        ledger.remember("run-1");
        ledger.remember("run-1");
        assertThat(CommandLedger.open(file).contains("run-1")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("run-1");

        int keep = 10;
        CommandLedger small = CommandLedger.open(file, keep);
        for (int i = 0; i < 2 * keep + 5; i++) {
            small.remember("r-" + i);
        }
        CommandLedger reopened = CommandLedger.open(file, keep);
        assertThat(reopened.contains("r-" + (2 * keep + 4))).isTrue();
        assertThat(reopened.contains("r-" + (keep + 5))).isTrue();
        assertThat(reopened.contains("r-" + (keep + 4))).isFalse();
        assertThat(reopened.contains("run-1")).isFalse();
        assertThat(Files.readAllLines(file).size()).isLessThan(2 * keep);
    }

    @Test
    void theJournalListsWhatBeganAndNeverEnded() throws Exception {
        RunningJournal journal = new RunningJournal(directory.resolve("running"));
        journal.begin(new StartedCommand("run-1", BackupOperation.RUN, "www", T));
        journal.begin(new StartedCommand("restore-1", BackupOperation.RESTORE, "www", T));
        journal.end("restore-1");
        assertThat(new RunningJournal(directory.resolve("running")).unfinished())
                .containsExactly(new StartedCommand("run-1", BackupOperation.RUN, "www", T));
    }
}
