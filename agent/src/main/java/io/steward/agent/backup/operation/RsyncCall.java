package io.steward.agent.backup.operation;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.process.ChildProcess;
import io.steward.agent.backup.rsync.ProgressLine;
import io.steward.agent.backup.rsync.RsyncExit;
import io.steward.agent.backup.rsync.StderrDigest;
import io.steward.agent.backup.rsync.TransferStats;
import io.steward.core.backup.BackupFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rsync call under a {@link Cancellation}: its stdout split into progress updates, stats and other lines (a
 * listing, the closing summary), its stderr digested. A cancelled call ends in {@link CancelledException}, whatever
 * rsync said as it was stopped.
 */
final class RsyncCall {
    private static final Logger log = LoggerFactory.getLogger(RsyncCall.class);

    /**
     * @param summary rsync's closing lines ({@code sent … received …}, {@code total size is …})
     */
    record Result(int exitCode, StderrDigest stderr, Optional<TransferStats> stats, List<String> summary) {
        RsyncExit exit() {
            return RsyncExit.of(exitCode, stderr);
        }

        /** What people see of the call: its last stderr lines, or the summary when stderr was quiet. */
        List<String> lastLines() {
            return stderr.lastLines().isEmpty() ? summary : stderr.lastLines();
        }

        boolean busy() {
            return exit() instanceof RsyncExit.Failed failed
                    && failed.diagnosis().failure() == BackupFailure.DESTINATION_BUSY;
        }
    }

    private RsyncCall() {}

    static Result run(List<String> argv, Cancellation cancellation, Consumer<ProgressLine> progress,
            Consumer<String> otherLines) throws IOException, InterruptedException, CancelledException {
        cancellation.check();
        StderrDigest stderr = new StderrDigest();
        TransferStats.Reader stats = new TransferStats.Reader();
        List<String> summary = new ArrayList<>();
        ChildProcess process = ChildProcess.start(argv, line -> {
            Optional<ProgressLine> update = ProgressLine.parse(line);
            if (update.isPresent()) {
                progress.accept(update.get());
            } else if (!stats.accept(line) && !line.isBlank()) {
                if (line.startsWith("sent ") || line.startsWith("total size is ")) {
                    summary.add(line);
                } else {
                    otherLines.accept(line);
                }
            }
        }, stderr::accept);
        cancellation.running(process);
        int exitCode;
        try {
            exitCode = process.waitFor();
        } catch (InterruptedException e) {
            process.stop();
            throw e;
        } finally {
            cancellation.running(null);
        }
        cancellation.check();
        log.debug("[{}] ended with [{}]", argv.get(0), exitCode);
        // The reader threads have ended (waitFor joins them): what they collected is visible here.
        return new Result(exitCode, stderr, stats.stats(), List.copyOf(summary));
    }

    /** As {@link #run}, again after each pause of {@code retries} while rrsync's lock holds the destination. */
    static Result runWhileBusy(List<String> argv, List<Duration> retries, Cancellation cancellation,
            Consumer<ProgressLine> progress, Consumer<String> otherLines)
            throws IOException, InterruptedException, CancelledException {
        for (int attempt = 0; ; attempt++) {
            Result result = run(argv, cancellation, progress, otherLines);
            if (!result.busy() || attempt >= retries.size()) {
                return result;
            }
            log.debug("Destination busy; trying again in [{}] ms", retries.get(attempt).toMillis());
            cancellation.pause(retries.get(attempt));
        }
    }
}
