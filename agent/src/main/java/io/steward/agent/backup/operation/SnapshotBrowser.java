package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.rsync.ListingEntry;
import io.steward.agent.backup.rsync.RsyncExit;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.TreeEntry;
import io.steward.core.protocol.AgentMessage.SnapshotTree;
import io.steward.core.protocol.NodeMessage.BrowseSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists one directory of a snapshot for a restore picker. It does not wait for a destination rrsync's lock holds
 * (a run in progress): people are told at once.
 */
public final class SnapshotBrowser {
    /** At most this many entries per answer. */
    public static final int MAX_ENTRIES = 5_000;
    /** ... and at most about this much JSON, well inside the node's 1 MiB frame limit. */
    static final int MAX_CHARS = 600_000;
    /** A generous estimate of one entry's JSON besides its name and target. */
    private static final int ENTRY_OVERHEAD = 120;

    private final BackupTools tools;

    public SnapshotBrowser(BackupTools tools) {
        this.tools = requireNonNull(tools, "tools is null");
    }

    public SnapshotTree browse(BrowseSnapshot browse, Cancellation cancellation) throws InterruptedException {
        try (Workspace workspace = Workspace.open(tools, browse.commandId(), browse.job().destination(),
                browse.hostKey())) {
            Entries entries = new Entries();
            RsyncCall.Result listed = RsyncCall.run(workspace.commands().browse(browse.snapshot(), browse.path()),
                    cancellation, line -> {}, line -> ListingEntry.parse(line).ifPresent(entries::add));
            if (listed.exit() instanceof RsyncExit.Failed failed) {
                return new SnapshotTree(browse.commandId(), browse.path(), List.of(), false,
                        failed.diagnosis().failure(), failed.diagnosis().reason());
            }
            return new SnapshotTree(browse.commandId(), browse.path(), entries.entries, entries.truncated, null,
                    null);
        } catch (CancelledException e) {
            return new SnapshotTree(browse.commandId(), browse.path(), List.of(), false, e.reason(),
                    "the agent stopped while listing");
        } catch (IOException e) {
            return new SnapshotTree(browse.commandId(), browse.path(), List.of(), false, BackupFailure.RSYNC_FAILED,
                    "the agent could not list the snapshot: " + e);
        }
    }

    /** The entries of one directory, bounded. Called on the reader thread only. */
    private static final class Entries {
        private final List<TreeEntry> entries = new ArrayList<>();
        private long chars;
        private boolean truncated;

        void add(ListingEntry entry) {
            if (entry.name().equals(".")) {
                return;
            }
            long size = entry.name().length() + (entry.target() == null ? 0 : entry.target().length())
                    + ENTRY_OVERHEAD;
            if (entries.size() >= MAX_ENTRIES || chars + size > MAX_CHARS) {
                truncated = true;
                return;
            }
            chars += size;
            entries.add(new TreeEntry(entry.name(), kind(entry), entry.size(), entry.modifiedAt(),
                    entry.permissions(), entry.target()));
        }

        private static TreeEntry.Kind kind(ListingEntry entry) {
            return switch (entry.type()) {
                case '-' -> TreeEntry.Kind.FILE;
                case 'd' -> TreeEntry.Kind.DIRECTORY;
                case 'l' -> TreeEntry.Kind.SYMLINK;
                default -> TreeEntry.Kind.OTHER;
            };
        }
    }
}
