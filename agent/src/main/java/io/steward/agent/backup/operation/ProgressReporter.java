package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.rsync.ProgressLine;
import io.steward.core.backup.BackupOperation;
import io.steward.core.protocol.AgentMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Sends one command's {@code BackupProgress}: at once when the phase changes (the first, {@code starting}, tells
 * the node the command was taken), otherwise at most one a second. The percentage is the larger of two figures that
 * can only fall short: the files checked out of the files known (rsync's {@code to-chk}; still 0 while one large file
 * is sent) and rsync's byte percentage (short when files are hard-linked instead of sent).
 */
public final class ProgressReporter {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final String commandId;
    private final String jobId;
    private final BackupOperation operation;
    private final Consumer<AgentMessage> send;
    private final Clock clock;
    private String phase;
    private Instant lastSent;
    private Instant phaseStarted;
    private ProgressLine last;

    public ProgressReporter(String commandId, String jobId, BackupOperation operation, Consumer<AgentMessage> send,
            Clock clock) {
        this.commandId = requireNonNull(commandId, "commandId is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.operation = requireNonNull(operation, "operation is null");
        this.send = requireNonNull(send, "send is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Enters {@code phase} ({@code starting}, {@code listing}, {@code transferring}…) and says so now. */
    public synchronized void phase(String next) {
        if (next.equals(phase)) {
            return;
        }
        phase = next;
        last = null;
        phaseStarted = clock.instant();
        emit(phaseStarted);
    }

    /** An rsync progress update: passed on if a second has gone by since the last one sent. */
    public synchronized void progress(ProgressLine line) {
        if (line.files() == null && last != null && last.files() != null) {
            // An update between files has no counts: keep the last ones.
            line = new ProgressLine(line.bytes(), line.percent(), line.bytesPerSecond(), last.files());
        }
        last = line;
        Instant now = clock.instant();
        if (lastSent == null || !now.isBefore(lastSent.plus(INTERVAL))) {
            emit(now);
        }
    }

    private void emit(Instant now) {
        lastSent = now;
        double percent = 0;
        long filesDone = 0;
        long filesTotal = 0;
        Long eta = null;
        if (last != null) {
            percent = last.percent();
        }
        if (last != null && last.files() != null) {
            percent = Math.max(percent, last.files().percent());
            filesDone = last.files().done();
            filesTotal = last.files().total();
            long elapsed = Duration.between(phaseStarted, now).toSeconds();
            if (last.files().complete() && percent > 0 && percent < 100) {
                eta = Math.round(elapsed * (100 - percent) / percent);
            }
        }
        send.accept(new AgentMessage.BackupProgress(commandId, jobId, operation, phase == null ? "starting" : phase,
                percent, last == null ? 0 : last.bytes(), last == null ? 0 : last.bytesPerSecond(), eta, filesDone,
                filesTotal));
    }
}
