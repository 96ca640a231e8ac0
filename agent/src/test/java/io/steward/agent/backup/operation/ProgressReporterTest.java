package io.steward.agent.backup.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.backup.rsync.ProgressLine;
import io.steward.core.backup.BackupOperation;
import io.steward.core.protocol.AgentMessage.BackupProgress;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress goes out at once on a new phase, otherwise at most once a second, measured in files or bytes. */
class ProgressReporterTest {
    private final ManualClock clock = new ManualClock();
    private final List<AgentMessage> sent = new ArrayList<>();
    private final ProgressReporter progress = new ProgressReporter("run-1", "www", BackupOperation.RUN, sent::add,
            clock);

    private static ProgressLine line(long bytes, long remaining, long total) {
        return new ProgressLine(bytes, 0, 1024, new ProgressLine.FileCounts(remaining, total, true));
    }

    @Test
    void theFirstProgressSaysStartingAndUpdatesAreThrottled() {
        progress.phase("starting");
        progress.phase("starting");
        progress.phase("transferring");
        assertThat(sent).extracting(message -> ((BackupProgress) message).phase())
                .containsExactly("starting", "transferring");

        clock.advance(Duration.ofMillis(200));
        progress.progress(line(100, 90, 100));
        assertThat(sent).hasSize(2);
        clock.advance(Duration.ofMillis(900));
        progress.progress(line(200, 75, 100));
        assertThat(sent).hasSize(3);
        BackupProgress update = (BackupProgress) sent.get(2);
        assertThat(update).isEqualTo(new BackupProgress("run-1", "www", BackupOperation.RUN, "transferring", 25.0,
                200, 1024, 3L, 25, 100));

        // An update between files carries no counts: the last ones are kept.
        clock.advance(Duration.ofSeconds(1));
        progress.progress(new ProgressLine(300, 0, 2048, null));
        assertThat(((BackupProgress) sent.get(3)).filesDone()).isEqualTo(25);
        assertThat(((BackupProgress) sent.get(3)).bytes()).isEqualTo(300);
    }

    @Test
    void oneLargeFileShowsItsBytesWhileNoFileIsDoneYet() {
        progress.phase("transferring");
        clock.advance(Duration.ofSeconds(2));
        progress.progress(new ProgressLine(3 << 20, 75, 1 << 20, new ProgressLine.FileCounts(1, 1, true)));
        BackupProgress update = (BackupProgress) sent.get(1);
        assertThat(update.percent()).isEqualTo(75.0);
        assertThat(update.etaSeconds()).as("2 s for 75 %").isEqualTo(1L);
    }

    @Test
    void aGrowingFileListGivesNoEta() {
        progress.phase("transferring");
        clock.advance(Duration.ofSeconds(2));
        progress.progress(new ProgressLine(0, 0, 0, new ProgressLine.FileCounts(1001, 1502, false)));
        assertThat(((BackupProgress) sent.get(1)).etaSeconds()).isNull();
    }
}
