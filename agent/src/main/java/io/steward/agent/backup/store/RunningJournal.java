package io.steward.agent.backup.store;

import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands in progress, one file each ({@code <commandId>.json}) from before the work starts until its result
 * is in the outbox. What is still here when the agent starts was cut short by a crash or a kill: it gets an
 * "interrupted" result, so the node never waits for an outcome that will not come.
 */
public final class RunningJournal {
    private static final Logger log = LoggerFactory.getLogger(RunningJournal.class);
    private final CommandFiles files;

    public RunningJournal(Path directory) throws IOException {
        this.files = new CommandFiles(directory);
    }

    public void begin(StartedCommand command) throws IOException {
        AtomicFile.write(files.file(command.commandId()), WireFormat.mapper().writeValueAsBytes(command));
    }

    public void end(String commandId) throws IOException {
        AtomicFile.delete(files.file(commandId));
    }

    /** Commands begun and never ended (by an earlier run of the agent, when called at start). */
    public List<StartedCommand> unfinished() throws IOException {
        List<StartedCommand> commands = new ArrayList<>();
        for (Path path : files.all()) {
            try {
                commands.add(WireFormat.mapper().readValue(path.toFile(), StartedCommand.class));
            } catch (IOException e) {
                log.error("Cannot read [{}]; deleting it: {}", path, e.getMessage());
                Files.delete(path);
            }
        }
        return commands;
    }
}
