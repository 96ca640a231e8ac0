package io.steward.agent.backup.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results of runs, restores and verifications waiting for the node's {@code BackupAck}: each is on disk
 * ({@code <commandId>.json}, written atomically and forced) before it is first sent, sent again after every
 * welcome, and deleted only when acknowledged. A result survives a lost connection and a restart of the agent.
 */
public final class ResultOutbox {
    private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);
    private final CommandFiles files;

    public ResultOutbox(Path directory) throws IOException {
        this.files = new CommandFiles(directory);
    }

    /** Keeps {@code result} under {@code commandId}; returns once it is durable. */
    public void put(String commandId, AgentMessage result) throws IOException {
        AtomicFile.write(files.file(commandId), WireFormat.encode(result).getBytes(UTF_8));
    }

    public Optional<AgentMessage> get(String commandId) throws IOException {
        try {
            return Optional.of(read(files.file(commandId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Every waiting result, oldest command id first (a file that cannot be read is set aside as {@code .bad}). */
    public List<AgentMessage> all() throws IOException {
        List<AgentMessage> results = new ArrayList<>();
        for (Path path : files.all()) {
            try {
                results.add(read(path));
            } catch (IOException e) {
                log.error("Cannot read the backup result [{}]; setting it aside: {}", path, e.getMessage());
                Files.move(path, path.resolveSibling(path.getFileName() + ".bad"));
            }
        }
        return results;
    }

    /** Forgets the result of {@code commandId} (acknowledged); returns whether there was one. */
    public boolean remove(String commandId) throws IOException {
        Path file = files.file(commandId);
        boolean existed = Files.exists(file);
        AtomicFile.delete(file);
        return existed;
    }

    private static AgentMessage read(Path path) throws IOException {
        try {
            return WireFormat.decodeAgentMessage(Files.readString(path, UTF_8));
        } catch (WireFormat.MalformedMessageException e) {
            throw new IOException("not a result: " + e.getMessage(), e);
        }
    }
}
