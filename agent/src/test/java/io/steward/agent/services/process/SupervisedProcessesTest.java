package io.steward.agent.services.process;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.steward.agent.services.CommandRunner;
import io.steward.agent.services.ProcessCommandRunner;
import io.steward.agent.services.ServiceBackend.ActionResult;
import io.steward.agent.services.ServicesConfig;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes started through symlinked programs, found by patterns written as for {@code pgrep -f}. The
 * symlink's name carries this JVM's pid, so a parallel run of this test elsewhere on the machine is never found.
 */
@EnabledOnOs(OS.LINUX)
class SupervisedProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SLEEP = "mysleep-" + ProcessHandle.current().pid();
    private static final CommandRunner NOTHING_RUNS = (argv, timeout) -> {
        throw new IOException("no command runs in this test");
    };

    @TempDir
    Path directory;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatWasStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ServicesConfig.Process byPattern(String regex) {
        return new ServicesConfig.Process("worker", null, null, Pattern.compile(regex), null, null, List.of(),
                List.of(), List.of(), null, Duration.ofSeconds(20));
    }

    private static SupervisedProcesses supervising(ServicesConfig.Process... processes) {
        return new SupervisedProcesses(List.of(processes), NOTHING_RUNS);
    }

    private Path symlink(String name, Path target) throws IOException {
        assumeTrue(Files.isExecutable(target), target + " is needed for this test");
        return Files.createSymbolicLink(directory.resolve(name), target);
    }

    /** Runs {@code command} as a shell or service script would: found on the PATH, argv[0] as typed. */
    private long startFromPath(String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "exec " + command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", directory + ":" + System.getenv("PATH"));
        long pid = start(builder);
        // Until the shell has exec'd, /proc/PID/cmdline is "sh -c exec COMMAND", which the tests' unanchored
        // patterns match too; during the exec itself the kernel answers an empty cmdline. Wait for the program.
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        eventually(WAIT, () -> assertThat(Files.readString(cmdline)).doesNotStartWith("sh\u0000").isNotEmpty());
        return pid;
    }

    private long start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process.pid();
    }

    private static void eventuallyFound(SupervisedProcesses supervised, ServicesConfig.Process process, long pid) {
        eventually(WAIT, () -> assertThat(supervised.find(process)).map(ProcessHandle::pid).contains(pid));
    }

    @Test
    void aProcessStartedThroughASymlinkIsFoundByTheNameItWasStartedWith() throws Exception {
        symlink(SLEEP, Path.of("/bin/sleep"));
        long pid = startFromPath(SLEEP + " 600");

        ServicesConfig.Process plain = byPattern(SLEEP + " 600");
        ServicesConfig.Process anchored = byPattern("^" + SLEEP + " 600$");
        SupervisedProcesses supervised = supervising(plain, anchored);
        eventuallyFound(supervised, plain, pid);
        eventuallyFound(supervised, anchored, pid);

        // Java's own view resolves argv[0] through the symlink (/usr/bin/sleep 600): matching it, as before, the
        // agent found nothing, restarted a running service three times and started duplicates.
        SupervisedProcesses javaView = new SupervisedProcesses(List.of(anchored), NOTHING_RUNS,
                CommandLineReader.processHandle());
        assertThat(javaView.find(anchored)).isEmpty();
    }

    @Test
    void anAnchoredPatternTellsAProcessStartedByNameFromOneStartedByPath() throws Exception {
        Path program = symlink(SLEEP, Path.of("/bin/sleep"));
        long byName = startFromPath(SLEEP + " 600");
        long byPath = start(new ProcessBuilder(program.toString(), "601")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));

        SupervisedProcesses supervised = supervising();
        eventuallyFound(supervised, byPattern("^" + SLEEP + " 600$"), byName);
        eventuallyFound(supervised, byPattern("^" + Pattern.quote(program.toString()) + " 601$"), byPath);
        eventuallyFound(supervised, byPattern(SLEEP + " 601"), byPath); // unanchored: found inside the full path
        assertThat(supervised.find(byPattern("^" + SLEEP + " 601$"))).isEmpty(); // as pgrep -f: argv[0] is a path
    }

    @Test
    void theReadmeExampleFindsItsWorkerRunByASymlinkedInterpreter() throws Exception {
        // python3 is itself a symlink (to python3.11 on Debian 12); here one more, on the PATH, as a venv would be.
        symlink("python3", Path.of("/usr/bin/python3"));
        Path script = Files.createDirectories(directory.resolve("worker")).resolve("main.py");
        Files.writeString(script, "import time\ntime.sleep(600)\n");
        long pid = startFromPath("python3 " + script);

        ServicesConfig.Process worker = byPattern("python3 " + Pattern.quote(script.toString()));
        SupervisedProcesses supervised = supervising(worker);
        eventuallyFound(supervised, worker, pid);
        ServiceState state = supervised.check().get(0);
        assertThat(state.status()).isEqualTo(ServiceState.Status.RUNNING);
        assertThat(state.mainPid()).isEqualTo(pid);
    }

    private static ServicesConfig.Process stoppedBy(String pattern, List<String> stop, Duration timeout) {
        return new ServicesConfig.Process("worker", null, null, Pattern.compile(pattern), null, null, List.of(),
                stop, List.of(), null, timeout);
    }

    /**
     * A stop command that returns before the process has exited (as {@code kill} or {@code pkill} do; here it kills
     * half a second later) is answered once the process is gone: a check right after the "done" must not find it.
     */
    @Test
    void aStopIsDoneOnlyOnceTheProcessHasExited() throws Exception {
        symlink(SLEEP, Path.of("/bin/sleep"));
        long pid = startFromPath(SLEEP + " 600");
        ServicesConfig.Process worker = stoppedBy("^" + SLEEP + " 600$",
                List.of("sh", "-c", "(sleep 0.5; kill " + pid + ") >/dev/null 2>&1 &"), Duration.ofSeconds(20));
        SupervisedProcesses supervised = new SupervisedProcesses(List.of(worker), new ProcessCommandRunner());
        eventuallyFound(supervised, worker, pid);

        ActionResult result = supervised.act("worker", ServiceAction.STOP, 0);
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(supervised.find(worker)).isEmpty();
        assertThat(supervised.check().get(0).status()).isEqualTo(ServiceState.Status.DOWN);
    }

    @Test
    void aStopWhoseProcessStillRunsAfterTheWaitFails() throws Exception {
        symlink(SLEEP, Path.of("/bin/sleep"));
        long pid = startFromPath(SLEEP + " 600");
        ServicesConfig.Process worker = stoppedBy("^" + SLEEP + " 600$", List.of("true"), Duration.ofSeconds(1));
        SupervisedProcesses supervised = new SupervisedProcesses(List.of(worker), new ProcessCommandRunner());
        eventuallyFound(supervised, worker, pid);

        ActionResult result = supervised.act("worker", ServiceAction.STOP, 0);
        assertThat(result.ok()).isFalse();
        assertThat(result.message())
                .isEqualTo("stop command succeeded, but worker (pid " + pid + ") still runs 1 s after the stop began");
    }

    private static ServicesConfig.Process withLog(Path log) {
        return new ServicesConfig.Process("worker", null, null, Pattern.compile("never-matches"), null, null,
                List.of(), List.of(), List.of(), log, Duration.ofSeconds(20));
    }

    @Test
    void logsAreReadFromTheConfiguredFile() throws IOException {
        Path log = Files.writeString(directory.resolve("worker.log"), "one\ntwo\nthree\n");
        ServicesConfig.Process process = withLog(log);
        ActionResult result = supervising(process).act("worker", ServiceAction.LOGS, 2);
        assertThat(result.ok()).isTrue();
        assertThat(result.lines()).containsExactly("two", "three");
    }

    @Test
    void aLogFileThatIsASymbolicLinkToElsewhereIsNotRead() throws IOException {
        Path secret = Files.writeString(directory.resolve("shadow"), "root:$6$secret\n");
        Path link = Files.createSymbolicLink(directory.resolve("worker.log"), secret);
        ActionResult result = supervising(withLog(link)).act("worker", ServiceAction.LOGS, 10);
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("symbolic link");
        assertThat(result.lines()).isEmpty();

        // Nor one that lies behind a linked directory.
        Path real = Files.createDirectory(directory.resolve("real"));
        Files.writeString(real.resolve("app.log"), "line\n");
        Path linkedDirectory = Files.createSymbolicLink(directory.resolve("logs"), real);
        ActionResult behind = supervising(withLog(linkedDirectory.resolve("app.log")))
                .act("worker", ServiceAction.LOGS, 10);
        assertThat(behind.ok()).isFalse();
        assertThat(behind.message()).contains("symbolic link");

        // The open itself follows no link at any step, so a directory swapped after the check is caught too.
        assertThatThrownBy(() -> SupervisedProcesses.openWithoutLinks(linkedDirectory.resolve("app.log")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SupervisedProcesses.openWithoutLinks(link)).isInstanceOf(IOException.class);
        try (var channel = SupervisedProcesses.openWithoutLinks(real.resolve("app.log"))) {
            assertThat(channel.size()).isEqualTo(5);
        }
    }
}
