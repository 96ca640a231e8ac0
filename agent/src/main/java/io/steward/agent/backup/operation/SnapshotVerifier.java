package io.steward.agent.backup.operation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.rsync.DestinationState;
import io.steward.agent.backup.rsync.ListingEntry;
import io.steward.agent.backup.rsync.RsyncExit;
import io.steward.agent.backup.store.CoverageStore;
import io.steward.agent.backup.store.VerifyCoverage;
import io.steward.core.backup.BackupFailure;
import io.steward.core.protocol.AgentMessage.VerifyResult;
import io.steward.core.protocol.NodeMessage.VerifySnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test restore of the newest good snapshot: a sample of its files is restored into a fresh scratch directory
 * and compared (SHA-256) with the source, where the source did not change since (same size and modification
 * time). The sample is the files tried longest ago, enough for a daily verification to go through every file once
 * per {@code coverageDays}; what was verified when is kept per job ({@link VerifyCoverage}).
 */
public final class SnapshotVerifier {
    /** How many mismatching files a result names. */
    static final int MAX_NAMED = 100;

    private final BackupTools tools;
    private final CoverageStore coverage;

    public SnapshotVerifier(BackupTools tools, CoverageStore coverage) {
        this.tools = requireNonNull(tools, "tools is null");
        this.coverage = requireNonNull(coverage, "coverage is null");
    }

    /** A regular file of the snapshot as the listing shows it. */
    private record SnapshotFile(long size, Instant modifiedAt) {}

    public VerifyResult verify(VerifySnapshot verify, Cancellation cancellation, ProgressReporter progress)
            throws InterruptedException {
        try (Workspace workspace = Workspace.open(tools, verify.verifyId(), verify.job().destination(),
                verify.hostKey())) {
            progress.phase("listing");
            List<ListingEntry> state = new ArrayList<>();
            RsyncCall.Result listed = RsyncCall.runWhileBusy(workspace.commands().listState(), tools.busyRetries(),
                    cancellation, line -> {}, line -> ListingEntry.parse(line).ifPresent(state::add));
            if (listed.exit() instanceof RsyncExit.Failed failed) {
                return failed(verify, null, failed.diagnosis().failure(), failed.diagnosis().reason());
            }
            Optional<String> newest = DestinationState.of(state).newestGood();
            if (newest.isEmpty()) {
                return failed(verify, null, null, "there is no good snapshot to verify yet");
            }
            String snapshot = newest.get();
            Map<String, SnapshotFile> files = new LinkedHashMap<>();
            RsyncCall.Result contents = RsyncCall.runWhileBusy(workspace.commands().listSnapshot(snapshot),
                    tools.busyRetries(), cancellation, line -> {}, line -> ListingEntry.parse(line)
                            .filter(entry -> entry.isFile() && inside(entry.name()))
                            .ifPresent(entry -> files.put(entry.name(), new SnapshotFile(entry.size(),
                                    entry.modifiedAt()))));
            if (contents.exit() instanceof RsyncExit.Failed failed) {
                return failed(verify, snapshot, failed.diagnosis().failure(), failed.diagnosis().reason());
            }

            long today = LocalDate.ofInstant(tools.clock().instant(), ZoneOffset.UTC).toEpochDay();
            VerifyCoverage before = coverage.load(verify.job().jobId());
            List<String> sample = before.sample(files.keySet(), today, verify.coverageDays());
            List<String> candidates = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            for (String path : sample) {
                (unchanged(path, files.get(path)) ? candidates : changed).add(path);
            }
            List<String> verified = new ArrayList<>();
            List<String> mismatched = new ArrayList<>();
            if (!candidates.isEmpty()) {
                progress.phase("verifying");
                Path list = workspace.file("sample");
                Files.writeString(list, String.join("\0", candidates) + "\0", UTF_8);
                Path restored = workspace.newDirectory("restored");
                RsyncCall.Result fetched = RsyncCall.runWhileBusy(workspace.commands().fetch(snapshot, list,
                        restored), tools.busyRetries(), cancellation, progress::progress, line -> {});
                if (fetched.exit() instanceof RsyncExit.Failed failed) {
                    return failed(verify, snapshot, failed.diagnosis().failure(), failed.diagnosis().reason());
                }
                for (String path : candidates) {
                    cancellation.check();
                    Optional<byte[]> fromSource = sha256IfPresent(source(path));
                    if (fromSource.isEmpty() || !unchanged(path, files.get(path))) {
                        changed.add(path); // changed (or gone) while it was read
                        continue;
                    }
                    Optional<byte[]> fromSnapshot = sha256IfPresent(restored.resolve(path));
                    if (fromSnapshot.isPresent() && Arrays.equals(fromSnapshot.get(), fromSource.get())) {
                        verified.add(path);
                    } else {
                        mismatched.add("/" + path);
                    }
                }
            }
            VerifyCoverage after = before.after(today, files.keySet(), verified, sample);
            coverage.save(verify.job().jobId(), after);
            double percent = after.percent(files.keySet(), today, verify.coverageDays());
            boolean ok = mismatched.isEmpty();
            String reason = ok ? null : mismatched.size() + " files differ from the source although their size and"
                    + " modification time are the same: the snapshot's copy is damaged";
            return new VerifyResult(verify.verifyId(), verify.job().jobId(), ok, ok ? null : BackupFailure.MISMATCH,
                    reason, snapshot, verified.size() + mismatched.size(), changed.size(),
                    mismatched.subList(0, Math.min(MAX_NAMED, mismatched.size())), percent,
                    tools.clock().instant());
        } catch (CancelledException e) {
            return failed(verify, null, e.reason(), e.reason() == BackupFailure.TIMED_OUT
                    ? "the verification took too long; rsync was stopped" : "the agent stopped while it verified");
        } catch (IOException e) {
            return failed(verify, null, BackupFailure.RSYNC_FAILED, "the agent could not verify: " + e);
        }
    }

    /** Whether the source file still has the size and modification time (to the second) the snapshot lists. */
    private static boolean unchanged(String path, SnapshotFile inSnapshot) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(source(path), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() && attributes.size() == inSnapshot.size()
                    && attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS)
                            .equals(inSnapshot.modifiedAt());
        } catch (IOException e) {
            return false; // gone from the source: nothing to compare with
        }
    }

    /** Whether a listed name stays inside the snapshot (the destination is not trusted to say so). */
    private static boolean inside(String name) {
        return !name.startsWith("/") && Arrays.stream(name.split("/")).noneMatch(part -> part.equals(".."));
    }

    /** The file on this server that {@code path} (relative to the snapshot) is a copy of. */
    private static Path source(String path) {
        return Path.of("/" + path);
    }

    /** The SHA-256 of a regular file's content; empty if there is no such file or it cannot be read. */
    private static Optional<byte[]> sha256IfPresent(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(digest.digest());
    }

    private VerifyResult failed(VerifySnapshot verify, String snapshot, BackupFailure failure, String reason) {
        return new VerifyResult(verify.verifyId(), verify.job().jobId(), false, failure, reason, snapshot, 0, 0,
                List.of(), 0, tools.clock().instant());
    }
}
