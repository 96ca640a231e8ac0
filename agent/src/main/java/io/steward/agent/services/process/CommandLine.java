package io.steward.agent.services.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Optional;

/**
 * A process's command line as {@code ps -o args} and {@code pgrep -f} show it, which is what people write patterns
 * against: the arguments exactly as the process was started ({@code argv[0]} as typed, e.g. {@code python3}, not the
 * executable it resolved to), separated by single spaces.
 */
final class CommandLine {
    private CommandLine() {}

    /**
     * Parses the bytes of {@code /proc/PID/cmdline} (NUL-terminated arguments) as procps does: trailing NULs are
     * dropped (one ends the last argument; a process that rewrote its title may leave many), every other NUL and
     * every newline becomes a space, so an empty argument shows as two spaces. Empty for kernel threads and zombies,
     * which have no command line.
     */
    static Optional<String> fromProcCmdline(byte[] cmdline) {
        int end = cmdline.length;
        while (end > 0 && cmdline[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            return Optional.empty();
        }
        byte[] line = Arrays.copyOf(cmdline, end);
        for (int i = 0; i < end; i++) {
            if (line[i] == 0 || line[i] == '\n') {
                line[i] = ' ';
            }
        }
        return Optional.of(new String(line, UTF_8));
    }
}
