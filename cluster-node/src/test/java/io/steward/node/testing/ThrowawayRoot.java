package io.steward.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private mount namespace ({@code unshare -m}) in which an installer runs as root with its real paths and changes
 * nothing outside: tmpfs over {@code /opt} and {@code /run} (so no {@code /run/systemd/system}: the no-systemd path),
 * copy-on-write overlays over {@code /etc} and {@code /var} whose changes land in {@code upper/etc}, {@code upper/var}.
 * A holder process keeps the namespace alive; {@link #run} enters it with {@code nsenter}. Needs root (the tests run
 * as root) and overlayfs.
 */
public final class ThrowawayRoot implements AutoCloseable {
    private final Process holder;
    private final Path directory;

    private ThrowawayRoot(Process holder, Path directory) {
        this.holder = holder;
        this.directory = directory;
    }

    /** The output and exit code of a script run inside. */
    public record Result(int exitCode, String output) {}

    public static ThrowawayRoot create(Path directory) throws IOException {
        for (String name : List.of("upper/etc", "upper/var", "work/etc", "work/var")) {
            Files.createDirectories(directory.resolve(name));
        }
        String mounts = String.join(" && ",
                "mount -t tmpfs tmpfs /opt",
                "mount -t tmpfs tmpfs /run",
                overlay("/etc", directory, "etc"),
                overlay("/var", directory, "var"),
                "echo ready",
                "exec sleep 3600");
        Process holder = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", mounts)
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"ready".equals(line)) {
            holder.destroyForcibly();
            throw new IOException("cannot make a throwaway root (unshare -m, tmpfs, overlayfs as root): " + line);
        }
        return new ThrowawayRoot(holder, directory);
    }

    private static String overlay(String target, Path directory, String name) {
        return "mount -t overlay overlay -o lowerdir=" + target + ",upperdir=" + directory.resolve("upper/" + name)
                + ",workdir=" + directory.resolve("work/" + name) + " " + target;
    }

    /** Runs {@code script} with {@code sh -c} inside; waits at most {@code timeoutSeconds}. */
    public Result run(String script, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "--",
                "sh", "-c", script));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("last-run.log").toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("'" + script + "' did not finish within " + timeoutSeconds + " s; output: "
                    + Files.readString(directory.resolve("last-run.log")));
        }
        return new Result(process.exitValue(), Files.readString(directory.resolve("last-run.log")));
    }

    /** Ends every process still inside (an agent an installer left running), then the namespace. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (holder.isAlive()) {
            String self = Files.readSymbolicLink(Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt")).toString();
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    long pid = Long.parseLong(process.getFileName().toString());
                    try {
                        if (pid != holder.pid()
                                && Files.readSymbolicLink(process.resolve("ns/mnt")).toString().equals(self)) {
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    } catch (IOException gone) {
                        // Ended meanwhile.
                    }
                }
            }
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
