package io.steward.agent.backup.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A directory holding one JSON file per command ({@code <commandId>.json}); only valid ids name a file. */
final class CommandFiles {
    private static final String SUFFIX = ".json";

    private final Path directory;

    CommandFiles(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path file(String commandId) {
        if (!CommandIds.valid(commandId)) {
            throw new IllegalArgumentException(CommandIds.rule());
        }
        return directory.resolve(commandId + SUFFIX);
    }

    /** Every command's file, by id (temporary and set-aside files are not listed). */
    List<Path> all() throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }
}
