package io.steward.agent.services.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command lines that supervised-process patterns match come from. On Linux, {@code /proc/PID/cmdline}:
 * the arguments as started, as {@code ps -o args} and {@code pgrep -f} show them. Java's
 * {@code ProcessHandle.Info.commandLine()} is not that: it replaces {@code argv[0]} with the resolved executable
 * ({@code python3} becomes {@code /usr/bin/python3.11}), so patterns written as for {@code pgrep -f} never match it.
 * It is used only where there is no {@code /proc}.
 */
@FunctionalInterface
interface CommandLineReader {

    /** The command line of {@code process}; empty if it has none, is gone, or cannot be read. */
    Optional<String> commandLine(ProcessHandle process);

    /** {@code /proc} where there is one (Linux), else Java's view. */
    static CommandLineReader forThisSystem() {
        Path proc = Path.of("/proc");
        return Files.isReadable(proc.resolve("self").resolve("cmdline")) ? procfs(proc) : processHandle();
    }

    /** Reads {@code <proc>/PID/cmdline}. */
    static CommandLineReader procfs(Path proc) {
        requireNonNull(proc, "proc is null");
        return process -> {
            try {
                return CommandLine.fromProcCmdline(
                        Files.readAllBytes(proc.resolve(Long.toString(process.pid())).resolve("cmdline")));
            } catch (IOException e) {
                return Optional.empty(); // exited meanwhile, or hidden from us (hidepid): not a match
            }
        };
    }

    /** Java's view, with {@code argv[0]} resolved: for systems without {@code /proc}. */
    static CommandLineReader processHandle() {
        return process -> process.info().commandLine();
    }
}
