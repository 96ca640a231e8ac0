package io.steward.agent.backup.rsync;

import io.steward.core.backup.BackupFailure;
import java.util.List;

/**
 * What one rsync call's end means: done, done with some files missing (rsync 23: some could not be read, 24: some
 * vanished while it ran), or failed — and then why, from stderr rather than from the exit code (see
 * {@link StderrDigest}).
 */
public sealed interface RsyncExit {
    /** Every file was copied. */
    record Complete() implements RsyncExit {}

    /** The transfer completed, but the listed files are not in it. */
    record Partial(int exitCode, List<String> problemFiles, int problemFileCount) implements RsyncExit {}

    record Failed(int exitCode, Diagnosis diagnosis) implements RsyncExit {}

    static RsyncExit of(int exitCode, StderrDigest stderr) {
        if (exitCode == 0) {
            return new Complete();
        }
        if (stderr.diagnosis().isPresent()) {
            return new Failed(exitCode, stderr.diagnosis().get());
        }
        if (exitCode == 23 || exitCode == 24) {
            return new Partial(exitCode, stderr.problemFiles(), stderr.problemFileCount());
        }
        String reason = stderr.reason();
        return new Failed(exitCode, new Diagnosis(BackupFailure.RSYNC_FAILED, reason.isEmpty()
                ? "rsync ended with " + describe(exitCode) + " and said nothing" : reason));
    }

    /** An exit status as people read it; above 128 the JDK reports a signal as 128 + its number. */
    static String describe(int exitCode) {
        return exitCode > 128 && exitCode < 160 ? "signal " + (exitCode - 128) : "code " + exitCode;
    }
}
