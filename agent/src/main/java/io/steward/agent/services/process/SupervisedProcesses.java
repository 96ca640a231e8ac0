package io.steward.agent.services.process;

import io.steward.agent.services.CommandRunner;
import io.steward.agent.services.ServiceBackend;
import io.steward.agent.services.ServicesConfig;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Monit-style supervision for hosts and containers without systemd: each configured process is found by pidfile
 * or command-line pattern, optionally checked on a local TCP port or an HTTP URL, and controlled only by the argv
 * lists in the agent's config. Patterns match the command line as {@code pgrep -f} sees it ({@link CommandLineReader}).
 */
public final class SupervisedProcesses implements ServiceBackend {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_LOG_BYTES = 1 << 20;
    /** The first and the longest pause between looks at a stopped process that has not exited yet. */
    private static final long FIRST_EXIT_POLL_MILLIS = 20;
    private static final long MAX_EXIT_POLL_MILLIS = 500;

    private final Map<String, ServicesConfig.Process> processes = new LinkedHashMap<>();
    private final CommandRunner runner;
    private final CommandLineReader commandLines;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final long selfPid = ProcessHandle.current().pid();
    /** Memory and CPU of the found processes, as the process list measures them (OSHI); created on first use. */
    private oshi.software.os.OperatingSystem os;
    private final Map<Integer, oshi.software.os.OSProcess> previous = new java.util.HashMap<>();

    public SupervisedProcesses(List<ServicesConfig.Process> configured, CommandRunner runner) {
        this(configured, runner, CommandLineReader.forThisSystem());
    }

    SupervisedProcesses(List<ServicesConfig.Process> configured, CommandRunner runner,
            CommandLineReader commandLines) {
        configured.forEach(process -> processes.put(process.name(), process));
        this.runner = runner;
        this.commandLines = commandLines;
    }

    @Override
    public List<ServiceState> check() {
        List<ServiceState> states = new ArrayList<>();
        for (ServicesConfig.Process process : processes.values()) {
            states.add(check(process));
        }
        return states;
    }

    private ServiceState check(ServicesConfig.Process process) {
        Optional<ProcessHandle> found = find(process);
        if (found.isEmpty()) {
            return state(process, ServiceState.Status.DOWN, "no process matches", null, null);
        }
        ProcessHandle handle = found.get();
        Instant since = handle.info().startInstant().orElse(null);
        List<String> problems = new ArrayList<>();
        if (process.port() != null && !portAnswers(process.port())) {
            problems.add("port " + process.port() + " does not answer");
        }
        if (process.url() != null) {
            String problem = urlProblem(process);
            if (problem != null) {
                problems.add(problem);
            }
        }
        String detail = "pid " + handle.pid() + (problems.isEmpty()
                ? (process.port() != null ? "; port " + process.port() + " answers" : "")
                : "; " + String.join("; ", problems));
        Long memory = null;
        Double cpu = null;
        oshi.software.os.OSProcess now = usage((int) handle.pid());
        if (now != null) {
            memory = now.getResidentMemory();
            oshi.software.os.OSProcess before = previous.put(now.getProcessID(), now);
            if (before != null && before.getStartTime() == now.getStartTime()) {
                cpu = Math.round(Math.max(0, now.getProcessCpuLoadBetweenTicks(before)) * 10_000) / 100.0;
            }
        }
        return new ServiceState(process.name(), ServiceState.Kind.PROCESS,
                problems.isEmpty() ? ServiceState.Status.RUNNING : ServiceState.Status.DOWN, detail,
                process.description(), handle.pid(), memory, cpu, null, since, true);
    }

    private oshi.software.os.OSProcess usage(int pid) {
        try {
            if (os == null) {
                os = new oshi.SystemInfo().getOperatingSystem();
            }
            return os.getProcess(pid);
        } catch (RuntimeException | LinkageError e) {
            return null; // usage is a bonus; the check itself stands without it
        }
    }

    private ServiceState state(ServicesConfig.Process process, ServiceState.Status status, String detail, Long pid,
            Instant since) {
        return new ServiceState(process.name(), ServiceState.Kind.PROCESS, status, detail, process.description(), pid,
                null, null, null, since, true);
    }

    Optional<ProcessHandle> find(ServicesConfig.Process process) {
        if (process.pidfile() != null) {
            try {
                long pid = Long.parseLong(Files.readString(process.pidfile()).strip());
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        return ProcessHandle.allProcesses()
                .filter(handle -> handle.pid() != selfPid && handle.isAlive())
                .filter(handle -> commandLines.commandLine(handle)
                        .map(line -> process.pattern().matcher(line).find()).orElse(false))
                .findFirst();
    }

    private static boolean portAnswers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CHECK_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String urlProblem(ServicesConfig.Process process) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(process.url()).timeout(CHECK_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 400 ? null : process.url() + " answered HTTP " + response.statusCode();
        } catch (IOException e) {
            return process.url() + " does not answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public boolean owns(String service) {
        return processes.containsKey(service);
    }

    @Override
    public ActionResult act(String service, ServiceAction action, int lines) {
        ServicesConfig.Process process = processes.get(service);
        if (process == null) {
            return ActionResult.failed(service + " is not in this agent's service list");
        }
        return switch (action) {
            case START -> run(process, "start", process.start());
            case STOP -> stop(process, find(process));
            case RESTART -> {
                if (!process.restart().isEmpty()) {
                    yield run(process, "restart", process.restart());
                }
                if (process.start().isEmpty()) {
                    yield ActionResult.failed(service + " has no restart or start command configured");
                }
                Optional<ProcessHandle> running = process.stop().isEmpty() ? Optional.empty() : find(process);
                if (running.isPresent()) {
                    ActionResult stopped = stop(process, running);
                    if (!stopped.ok()) {
                        yield stopped;
                    }
                }
                yield run(process, "start", process.start());
            }
            case LOGS -> logs(process, lines);
        };
    }

    /**
     * Runs the stop command, then waits until the process it stopped has exited, within the process's timeout from
     * the stop's start. A stop command such as {@code kill} or {@code pkill} returns while the process is still
     * exiting: a check read then says "running" right after the stop's "done", which the node takes for someone
     * starting it again (its hold ends and the restart policy undoes the stop), and a restart's start would race the
     * old process for its port or pid file. The wait is on {@code running}, the process found before the stop (its
     * pid and start time): one a supervisor respawns under a new pid does not hold it up.
     */
    private ActionResult stop(ServicesConfig.Process process, Optional<ProcessHandle> running) {
        long deadline = System.nanoTime() + process.timeout().toNanos();
        ActionResult stopped = run(process, "stop", process.stop());
        if (!stopped.ok() || running.isEmpty()) {
            return stopped;
        }
        ProcessHandle handle = running.get();
        long pause = FIRST_EXIT_POLL_MILLIS;
        while (runs(handle)) {
            if (System.nanoTime() - deadline >= 0) {
                return ActionResult.failed("stop command succeeded, but " + process.name() + " (pid " + handle.pid()
                        + ") still runs " + process.timeout().toSeconds() + " s after the stop began");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ActionResult.failed("interrupted while waiting for " + process.name() + " to exit");
            }
            pause = Math.min(pause * 2, MAX_EXIT_POLL_MILLIS);
        }
        return stopped;
    }

    /**
     * Whether {@code handle}'s process still runs: alive (the same pid and start time) and not a zombie, an exited
     * process its parent has not reaped yet (an agent running as PID 1 in a container may never reap orphans).
     */
    private static boolean runs(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            int name = stat.lastIndexOf(')'); // the state follows the name, which may hold spaces and parentheses
            return name < 0 || name + 2 >= stat.length() || stat.charAt(name + 2) != 'Z';
        } catch (IOException e) {
            return handle.isAlive(); // no /proc here, or gone meanwhile
        }
    }

    private ActionResult run(ServicesConfig.Process process, String what, List<String> argv) {
        if (argv.isEmpty()) {
            return ActionResult.failed(process.name() + " has no " + what + " command configured");
        }
        try {
            CommandRunner.Output output = runner.run(argv, process.timeout());
            return output.succeeded()
                    ? ActionResult.ok(what + " command of " + process.name() + " succeeded")
                    : ActionResult.failed(what + " command failed: " + output.summary());
        } catch (IOException e) {
            return ActionResult.failed(what + " command could not run: " + e.getMessage());
        }
    }

    /**
     * The last {@code lines} lines of the configured log file, read from at most its last 1 MiB. The agent may run
     * as root: a log file that is a symbolic link (or lies behind one) could show any file on the machine to whoever
     * may read logs, so the path must be the file itself, and it is opened without following a link swapped in since.
     */
    private static ActionResult logs(ServicesConfig.Process process, int lines) {
        if (process.log() == null) {
            return ActionResult.failed(process.name() + " has no log file configured");
        }
        Path configured = process.log().toAbsolutePath().normalize();
        try {
            if (!configured.toRealPath().equals(configured)) {
                return ActionResult.failed("refusing to read " + configured + ": it is, or lies behind, a symbolic"
                        + " link (to " + configured.toRealPath() + "); configure the real path");
            }
        } catch (IOException e) {
            return ActionResult.failed("cannot read " + process.log() + ": " + e.getMessage());
        }
        try (SeekableByteChannel channel = openWithoutLinks(configured)) {
            long length = channel.size();
            int size = (int) Math.min(length, MAX_LOG_BYTES);
            ByteBuffer tail = ByteBuffer.allocate(size);
            channel.position(length - size);
            while (tail.hasRemaining() && channel.read(tail) >= 0) {
                // read until the buffer is full or the file ends
            }
            List<String> all = new ArrayList<>(Arrays.asList(
                    new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).split("\n")));
            if (size < length && !all.isEmpty()) {
                all.remove(0); // a partial first line
            }
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return new ActionResult(true, last.size() + " lines", last);
        } catch (IOException e) {
            return ActionResult.failed("cannot read " + process.log() + ": " + e.getMessage());
        }
    }

    /**
     * Opens {@code file} refusing a symbolic link at every step, not only the last: the check above says why a
     * configured path is refused, but a directory swapped for a link after it would otherwise still be followed.
     * Where the JDK offers no {@link SecureDirectoryStream} (openat), it opens by path and checks the file again.
     */
    static SeekableByteChannel openWithoutLinks(Path file) throws IOException {
        Path root = file.getRoot();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
            if (!(top instanceof SecureDirectoryStream<Path> directory)) {
                SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                        LinkOption.NOFOLLOW_LINKS);
                if (!file.toRealPath().equals(file)) {
                    channel.close();
                    throw new IOException(file + " became a symbolic link, or lies behind one");
                }
                return channel;
            }
            List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
            try {
                SecureDirectoryStream<Path> current = directory;
                for (int i = 0; i < file.getNameCount() - 1; i++) {
                    current = current.newDirectoryStream(file.getName(i), LinkOption.NOFOLLOW_LINKS);
                    opened.add(current);
                }
                return current.newByteChannel(file.getFileName(), Set.of(StandardOpenOption.READ,
                        LinkOption.NOFOLLOW_LINKS));
            } finally {
                for (SecureDirectoryStream<Path> stream : opened) {
                    stream.close();
                }
            }
        }
    }
}
