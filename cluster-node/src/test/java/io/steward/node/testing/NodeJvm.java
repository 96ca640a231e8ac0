package io.steward.node.testing;

import static io.steward.core.testing.Eventually.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node as its own JVM process, started from the test classpath with the node's own logging ({@code NodeLogging}), the way
 * systemd starts it. Signals are real: {@code kill -9}, SIGSTOP/SIGCONT (a frozen JVM), SIGTERM. {@link #restart}
 * starts it again in place, same ports and data, as systemd's {@code Restart=} would; each incarnation writes its own
 * log ({@code node-1.log}, {@code node-1.2.log}, ...).
 */
public final class NodeJvm {
    private final String name;
    private final Path logDirectory;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final int httpPort;
    private final boolean outputUnread;
    private int incarnation;
    private volatile Process process;
    private Thread reaper;
    private Path log;

    private NodeJvm(String name, Path logDirectory, List<String> arguments, Map<String, String> environment,
            int httpPort, boolean outputUnread) {
        this.name = name;
        this.outputUnread = outputUnread;
        this.logDirectory = logDirectory;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code io.steward.node.NodeMain} with {@code arguments} (which must include {@code --http-port
     * httpPort}) and {@code environment}, its output in {@code logDirectory/<name>.log}.
     */
    public static NodeJvm start(String name, Path logDirectory, int httpPort, List<String> arguments,
            Map<String, String> environment) {
        return start(name, logDirectory, httpPort, arguments, environment, false);
    }

    /**
     * The same, its output a pipe that nobody reads until the test does ({@link Process#getInputStream()}): a console
     * that stopped reading. It writes no log file.
     */
    public static NodeJvm startWithUnreadOutput(String name, Path logDirectory, int httpPort, List<String> arguments) {
        return start(name, logDirectory, httpPort, arguments, Map.of(), true);
    }

    private static NodeJvm start(String name, Path logDirectory, int httpPort, List<String> arguments,
            Map<String, String> environment, boolean outputUnread) {
        NodeJvm node = new NodeJvm(name, logDirectory, arguments, environment, httpPort, outputUnread);
        node.launch();
        // The backstop for a test that fails before it destroys its nodes: none outlives the test JVM (the current
        // incarnation: restart() replaces the process).
        node.reaper = new Thread(() -> node.process.destroyForcibly(), name + "-reaper");
        Runtime.getRuntime().addShutdownHook(node.reaper);
        return node;
    }

    private void launch() {
        incarnation++;
        log = logDirectory.resolve(name + (incarnation == 1 ? "" : "." + incarnation) + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // No logback.configurationFile: the node's own logging (NodeLogging), not the tests' setup.
                "-cp", System.getProperty("java.class.path"),
                "io.steward.node.NodeMain"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(outputUnread ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
    }

    /** Starts it again in place (same ports, data and settings) once the last incarnation has exited. */
    public void restart() throws InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The value that follows {@code flag} on its command line. */
    public String argument(String flag) {
        int at = arguments.indexOf(flag);
        if (at < 0 || at + 1 >= arguments.size()) {
            throw new IllegalArgumentException(name + " was started without " + flag);
        }
        return arguments.get(at + 1);
    }

    /** Its agent endpoint. */
    public String hub() {
        return "ws://127.0.0.1:" + httpPort + "/ws/agent";
    }

    public Process process() {
        return process;
    }

    /** This incarnation's log. */
    public Path log() {
        return log;
    }

    /** This incarnation's log so far (of a node started with its output unread: what the pipe held, once it exited). */
    public String output() {
        if (outputUnread) {
            if (process.isAlive()) {
                return "(its output is a pipe the test has not read)";
            }
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The lines of every incarnation's log so far that contain {@code text}, each after its log's name. */
    public List<String> logLines(String text) {
        List<String> found = new ArrayList<>();
        for (int i = 1; i <= incarnation; i++) {
            Path file = logDirectory.resolve(name + (i == 1 ? "" : "." + i) + ".log");
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                lines.filter(line -> line.contains(text)).forEach(line -> found.add(file.getFileName() + ": " + line));
            } catch (IOException | UncheckedIOException e) {
                found.add(file.getFileName() + ": (unreadable: " + e.getMessage() + ")");
            }
        }
        return found;
    }

    /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}, {@code TERM}, {@code KILL}) with kill(1). */
    public void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start()
                .waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + name + " exited " + exit);
        }
    }

    /** {@code kill -9}, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** Waits until {@code /healthz} answers 200; fails at once with its log when the process exits meanwhile. */
    public void awaitServing(Duration limit) {
        await(limit, name + " serving on " + httpPort + " (log " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited " + process.exitValue() + ": " + output());
            }
            try {
                return new ApiClient(httpPort).get("/healthz").status() == 200 ? true : null;
            } catch (RuntimeException notYet) {
                return null;
            }
        });
    }

    /** Kills what runs and copies every incarnation's log to {@code keepIn} for a look after a failure. */
    public void destroy(Path keepIn) throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException exiting) {
            // Destroyed from another shutdown hook: the reaper runs too, harmlessly.
        }
        Files.createDirectories(keepIn);
        try (var logs = Files.list(logDirectory)) {
            for (Path file : logs.filter(path -> path.getFileName().toString().startsWith(name + ".")
                    || path.getFileName().toString().equals(name + ".log")).toList()) {
                Files.copy(file, keepIn.resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
