package io.steward.agent.backup.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of the backup commands this agent accepted, newest last, on disk: a run id is never run twice, even when
 * the node sends the command again after a lost connection or the agent restarted in between. Keeps the last
 * {@value #KEEP} (far more than a node re-sends); confined to one thread.
 */
public final class CommandLedger {
    static final int KEEP = 1000;

    private final Path file;
    private final int keep;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();
    private int lines;

    private CommandLedger(Path file, int keep) {
        this.file = file;
        this.keep = keep;
    }

    public static CommandLedger open(Path file) throws IOException {
        return open(file, KEEP);
    }

    /** A ledger keeping the last {@code keep} ids (tests use a few). */
    static CommandLedger open(Path file, int keep) throws IOException {
        CommandLedger ledger = new CommandLedger(file, keep);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, UTF_8)) {
                if (CommandIds.valid(line)) {
                    ledger.ids.add(line);
                    ledger.lines++;
                }
            }
        }
        ledger.trim();
        return ledger;
    }

    public boolean contains(String id) {
        return ids.contains(id);
    }

    /** Records {@code id}; returns once it is durable. */
    public void remember(String id) throws IOException {
        if (!CommandIds.valid(id)) {
            throw new IllegalArgumentException(CommandIds.rule());
        }
        if (!ids.add(id)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            ByteBuffer line = ByteBuffer.wrap((id + "\n").getBytes(UTF_8));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            channel.force(true);
        }
        lines++;
        trim();
    }

    /** Rewrites the file with the newest ids once it holds twice as many lines as it keeps. */
    private void trim() throws IOException {
        if (lines < 2 * keep && ids.size() <= keep) {
            return;
        }
        List<String> newest = new ArrayList<>(ids);
        newest = newest.subList(Math.max(0, newest.size() - keep), newest.size());
        ids.clear();
        ids.addAll(newest);
        AtomicFile.write(file, (String.join("\n", newest) + "\n").getBytes(UTF_8));
        lines = newest.size();
    }
}
