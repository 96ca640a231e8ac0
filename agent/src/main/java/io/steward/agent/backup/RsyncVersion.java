package io.steward.agent.backup;

import io.steward.agent.backup.process.ChildProcess;
import io.steward.agent.backup.rsync.RsyncCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version of the rsync backups run ({@code rsync  version 3.5.0  protocol version 32}), told to the node. */
final class RsyncVersion {
    private static final Pattern VERSION = Pattern.compile("^rsync\\s+version\\s+v?(\\S+)\\s.*");

    private RsyncVersion() {}

    static Optional<String> parse(List<String> output) {
        for (String line : output) {
            Matcher match = VERSION.matcher(line);
            if (match.matches()) {
                return Optional.of(match.group(1));
            }
        }
        return Optional.empty();
    }

    /** Asks {@code rsync}; empty if it cannot say. */
    static Optional<String> of(Path rsync) throws InterruptedException {
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try {
            ChildProcess process = ChildProcess.start(RsyncCommands.version(rsync), output::add, line -> {});
            return process.waitFor() == 0 ? parse(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
