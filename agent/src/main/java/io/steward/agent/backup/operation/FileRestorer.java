package io.steward.agent.backup.operation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.rsync.RsyncExit;
import io.steward.agent.backup.rsync.TransferStats;
import io.steward.core.backup.BackupFailure;
import io.steward.core.protocol.AgentMessage.RestoreResult;
import io.steward.core.protocol.NodeMessage.RestoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Restores a file or directory of a snapshot: to where it was, or below a target with its full path (restic's way:
 * {@code /srv/www/a.html} to {@code /srv/restore} gives {@code /srv/restore/srv/www/a.html}). Content, mode, owner,
 * times, ACLs and xattrs come back as the snapshot holds them. The path goes to rsync in a {@code --files-from}
 * list, so rrsync never expands it as a pattern. It does not wait for a destination rrsync's lock holds.
 */
public final class FileRestorer {
    private final BackupTools tools;
    private final Checks checks;

    public FileRestorer(BackupTools tools, Checks checks) {
        this.tools = requireNonNull(tools, "tools is null");
        this.checks = requireNonNull(checks, "checks is null");
    }

    public RestoreResult restore(RestoreFiles restore, Cancellation cancellation, ProgressReporter progress)
            throws InterruptedException {
        Path root = Path.of(restore.target() == null ? "/" : restore.target());
        Path landing = restore.target() == null ? Path.of(restore.path()) : root;
        Optional<String> escape = escapesAllowList(landing);
        if (escape.isPresent()) {
            return result(restore, false, BackupFailure.NOT_ALLOWED, escape.get(), 0, 0, List.of());
        }
        try (Workspace workspace = Workspace.open(tools, restore.restoreId(), restore.job().destination(),
                restore.hostKey())) {
            Path list = workspace.file("files-from");
            Files.writeString(list, restore.path().substring(1) + "\0", UTF_8);
            progress.phase("restoring");
            RsyncCall.Result copied = RsyncCall.run(workspace.commands().restore(restore.snapshot(), list, root),
                    cancellation, progress::progress, line -> {});
            RsyncExit exit = copied.exit();
            TransferStats stats = copied.stats().orElse(new TransferStats(0, 0, 0, 0, 0, 0));
            if (exit instanceof RsyncExit.Failed failed) {
                return result(restore, false, failed.diagnosis().failure(), failed.diagnosis().reason(), 0, 0,
                        copied.lastLines());
            }
            if (exit instanceof RsyncExit.Partial partial) {
                return result(restore, false, BackupFailure.RSYNC_FAILED, partial.problemFileCount()
                        + " files could not be restored: " + String.join(", ", partial.problemFiles()),
                        stats.regularFiles(), stats.totalFileSize(), copied.lastLines());
            }
            return result(restore, true, null, null, stats.regularFiles(), stats.totalFileSize(),
                    copied.lastLines());
        } catch (CancelledException e) {
            return result(restore, false, e.reason(), e.reason() == BackupFailure.TIMED_OUT
                    ? "the restore took too long; rsync was stopped" : "the agent stopped while it restored", 0, 0,
                    List.of());
        } catch (IOException e) {
            return result(restore, false, BackupFailure.RSYNC_FAILED, "the agent could not restore: " + e, 0, 0,
                    List.of());
        }
    }

    /**
     * Where files would really land, symbolic links resolved (the deepest existing directory on the way): a target
     * {@code /srv/restore} that is a link to {@code /etc} would otherwise write into {@code /etc}.
     */
    private Optional<String> escapesAllowList(Path landing) {
        Path existing = landing;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        try {
            Path real = existing.toRealPath();
            String within = real.toString() + landing.toString().substring(existing.toString().length());
            if (!checks.allowedSource(Path.of(within))) {
                return Optional.of(landing + " resolves to " + within + ", outside this agent's allowSources "
                        + checks.config().allowSources());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot resolve " + existing + ": " + e.getMessage());
        }
    }

    private RestoreResult result(RestoreFiles restore, boolean ok, BackupFailure failure, String reason, long files,
            long bytes, List<String> lastLines) {
        return new RestoreResult(restore.restoreId(), restore.job().jobId(), ok, failure, reason, files, bytes,
                lastLines, tools.clock().instant());
    }
}
