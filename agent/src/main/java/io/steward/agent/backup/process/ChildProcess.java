package io.steward.agent.backup.process;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One program the backups run (rsync, ssh-keyscan, ssh-keygen): started from an absolute path with its arguments,
 * never through a shell, in a small fixed environment — {@code LC_ALL=C} (numbers without separators, names
 * escaped the same way everywhere) and {@code TZ=UTC} (listing times) — with its output handed over line by line.
 * Stopping it stops its whole tree (rsync's ssh too).
 */
public final class ChildProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    /** How long a stopped tree has to end after SIGTERM (rsync keeps its partial file on it) before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** Output without line ends is handed over in pieces this long (a line is never that long). */
    private static final int MAX_LINE = 64 * 1024;
    /**
     * After reading all there was, a reader waits this long (or until the program ends) before reading again, so one
     * wake-up takes many lines: rsync flushes every progress update, one per file, and waking for each of 10,000
     * files cost the agent more CPU (~0.6 s on the benchmark's machine) than everything else it does in a run.
     */
    private static final Duration COALESCE = Duration.ofMillis(100);
    private static final int BUFFER = 64 * 1024;

    /** Receives output, one line at a time, on a reader thread of the process. */
    @FunctionalInterface
    public interface Lines {
        void line(String line);
    }

    private final Process process;
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ChildProcess(Process process, Thread stdoutReader, Thread stderrReader) {
        this.process = process;
        this.stdoutReader = stdoutReader;
        this.stderrReader = stderrReader;
    }

    /**
     * Starts {@code argv}. Lines of stdout end at {@code \r} or {@code \n} (rsync's progress updates end with
     * {@code \r}); lines of stderr at {@code \n} only. Each char is one byte of output.
     */
    public static ChildProcess start(List<String> argv, Lines stdout, Lines stderr) throws IOException {
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException("a program is run by its absolute path: " + argv);
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", "/usr/bin:/bin");
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("LC_ALL", "C");
        environment.put("TZ", "UTC");
        Process process = builder.start();
        String name = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1) + "-" + process.pid();
        Thread out = reader(process, process.getInputStream(), true, stdout, name + "-out");
        Thread err = reader(process, process.getErrorStream(), false, stderr, name + "-err");
        return new ChildProcess(process, out, err);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the program ended and all its output was handed over; returns its exit code. */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        stdoutReader.join();
        stderrReader.join();
        return code;
    }

    /**
     * Stops the program and everything it started: SIGTERM to the whole tree, then SIGKILL to whatever is left
     * after {@link #STOP_GRACE}. Blocks up to that long.
     */
    public void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("[{}] did not end on SIGTERM: killing it", process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread reader(Process process, InputStream input, boolean carriageReturnEndsLines, Lines lines,
            String name) {
        Thread thread = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            byte[] buffer = new byte[BUFFER];
            try (input) {
                int read;
                while ((read = input.read(buffer)) >= 0) {
                    for (int i = 0; i < read; i++) {
                        char c = (char) (buffer[i] & 0xff);
                        if (c == '\n' || (carriageReturnEndsLines && c == '\r')) {
                            deliver(lines, line);
                        } else {
                            if (line.length() >= MAX_LINE) {
                                deliver(lines, line);
                            }
                            line.append(c);
                        }
                    }
                    if (read < buffer.length) {
                        awaitMore(process);
                    }
                }
            } catch (IOException e) {
                log.debug("Output of [{}] ended: {}", name, e.toString());
            }
            if (line.length() > 0) {
                deliver(lines, line);
            }
        }, "steward-backup-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits {@link #COALESCE} for more output to gather, or less if the program ends meanwhile. */
    private static void awaitMore(Process process) {
        try {
            process.onExit().get(COALESCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Time to read what gathered.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deliver(Lines lines, StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        try {
            lines.line(text);
        } catch (RuntimeException e) {
            log.warn("Cannot handle an output line", e);
        }
    }
}
