package io.steward.agent.services.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.agent.services.CommandRunner.Output;
import io.steward.agent.services.ServiceBackend.ActionResult;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.core.services.ServiceState.Kind;
import io.steward.core.services.ServiceState.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SystemdBackendTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Four units as systemd 252 prints them: running, crashed, stopped (accounting off), and one that is missing. */
    private static final String SHOW_FOUR = """
            Id=nginx.service
            Description=A high performance web server and a reverse proxy server
            LoadState=loaded
            ActiveState=active
            SubState=running
            MainPID=1234
            MemoryCurrent=52428800
            CPUUsageNSec=2000000000
            NRestarts=2
            ActiveEnterTimestamp=Sun 2026-11-29 10:00:00 UTC
            StateChangeTimestamp=Sun 2026-11-29 10:00:05 UTC

            Id=postgresql.service
            Description=PostgreSQL RDBMS
            LoadState=loaded
            ActiveState=failed
            SubState=failed
            MainPID=0
            MemoryCurrent=[not set]
            CPUUsageNSec=[not set]
            NRestarts=5
            ActiveEnterTimestamp=Sun 2026-11-29 08:00:00 UTC
            StateChangeTimestamp=Sun 2026-11-29 09:30:00 UTC

            Id=backup.timer
            Description=Nightly backup
            LoadState=loaded
            ActiveState=inactive
            SubState=dead
            MainPID=0
            MemoryCurrent=18446744073709551615
            CPUUsageNSec=18446744073709551615
            NRestarts=0
            ActiveEnterTimestamp=
            StateChangeTimestamp=Sat 2026-11-28 23:00:00.123456 UTC

            Id=ghost.service
            Description=ghost.service
            LoadState=not-found
            ActiveState=inactive
            SubState=dead
            MainPID=0
            MemoryCurrent=[not set]
            CPUUsageNSec=[not set]
            NRestarts=0
            ActiveEnterTimestamp=
            StateChangeTimestamp=
            """;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private SystemdBackend backend(List<String> units, boolean discover, FakeCommandRunner runner) {
        return new SystemdBackend(units, discover, runner, TIMEOUT, nanos::get, ZoneOffset.UTC);
    }

    @Test
    void parsesOneShowCallForAllConfiguredUnits() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", SHOW_FOUR);
        SystemdBackend backend = backend(List.of("nginx", "postgresql.service", "backup.timer", "ghost"), false,
                runner);

        List<ServiceState> states = backend.check();

        assertThat(runner.calls()).containsExactly(List.of("/usr/bin/systemctl", "show", "--no-pager",
                "--property=Id,Description,ActiveState,SubState,MainPID,MemoryCurrent,CPUUsageNSec,NRestarts,"
                        + "ActiveEnterTimestamp,StateChangeTimestamp,LoadState",
                "nginx.service", "postgresql.service", "backup.timer", "ghost.service"));
        assertThat(runner.timeouts()).containsExactly(TIMEOUT);
        assertThat(states).extracting(ServiceState::name)
                .containsExactly("nginx", "postgresql", "backup.timer", "ghost");
        assertThat(states).allSatisfy(state -> {
            assertThat(state.kind()).isEqualTo(Kind.SYSTEMD);
            assertThat(state.controllable()).isTrue();
            assertThat(state.cpuPercent()).isNull(); // no previous reading yet
        });

        ServiceState nginx = states.get(0);
        assertThat(nginx.status()).isEqualTo(Status.RUNNING);
        assertThat(nginx.detail()).isEqualTo("active/running");
        assertThat(nginx.description()).isEqualTo("A high performance web server and a reverse proxy server");
        assertThat(nginx.mainPid()).isEqualTo(1234L);
        assertThat(nginx.memoryBytes()).isEqualTo(52_428_800L);
        assertThat(nginx.restarts()).isEqualTo(2);
        assertThat(nginx.since()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z")); // entered active, not last change

        ServiceState postgres = states.get(1);
        assertThat(postgres.status()).isEqualTo(Status.DOWN);
        assertThat(postgres.detail()).isEqualTo("failed/failed");
        assertThat(postgres.mainPid()).isNull();
        assertThat(postgres.memoryBytes()).isNull();
        assertThat(postgres.restarts()).isEqualTo(5);
        assertThat(postgres.since()).isEqualTo(Instant.parse("2026-11-29T09:30:00Z"));

        ServiceState backup = states.get(2);
        assertThat(backup.status()).as("configured, so expected to run").isEqualTo(Status.DOWN);
        assertThat(backup.detail()).isEqualTo("inactive/dead");
        assertThat(backup.memoryBytes()).as("UINT64_MAX means unset").isNull();
        assertThat(backup.since()).isEqualTo(Instant.parse("2026-11-28T23:00:00.123456Z"));

        ServiceState ghost = states.get(3);
        assertThat(ghost.status()).isEqualTo(Status.UNKNOWN);
        assertThat(ghost.detail()).isEqualTo("unit not found");
    }

    @Test
    void cpuIsTheRateBetweenTwoChecksInPercentOfOneCpu() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", """
                Id=nginx.service
                LoadState=loaded
                ActiveState=active
                SubState=running
                CPUUsageNSec=2000000000
                """);
        SystemdBackend backend = backend(List.of("nginx"), false, runner);
        assertThat(backend.check().get(0).cpuPercent()).isNull();

        runner.answer("/usr/bin/systemctl show", """
                Id=nginx.service
                LoadState=loaded
                ActiveState=active
                SubState=running
                CPUUsageNSec=3500000000
                """);
        nanos.addAndGet(10_000_000_000L); // 1.5 s of CPU in 10 s
        assertThat(backend.check().get(0).cpuPercent()).isEqualTo(15.0);

        runner.answer("/usr/bin/systemctl show", """
                Id=nginx.service
                LoadState=loaded
                ActiveState=active
                SubState=running
                CPUUsageNSec=100
                """);
        nanos.addAndGet(10_000_000_000L);
        assertThat(backend.check().get(0).cpuPercent()).as("restarted: the counter went back").isNull();
    }

    @Test
    void transitionsCountAsRunningAndDiscoveredInactiveUnitsAreStopped() {
        assertThat(SystemdBackend.status("activating", true)).isEqualTo(Status.RUNNING);
        assertThat(SystemdBackend.status("deactivating", true)).isEqualTo(Status.RUNNING);
        assertThat(SystemdBackend.status("reloading", false)).isEqualTo(Status.RUNNING);
        assertThat(SystemdBackend.status("inactive", true)).isEqualTo(Status.DOWN);
        assertThat(SystemdBackend.status("inactive", false)).isEqualTo(Status.STOPPED);
        assertThat(SystemdBackend.status("failed", false)).isEqualTo(Status.DOWN);
        assertThat(SystemdBackend.status("", true)).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void discoveryReportsEveryServiceUnitReadOnly() {
        FakeCommandRunner runner = new FakeCommandRunner()
                .answer("/usr/bin/systemctl list-units", """
                        cron.service loaded active running Regular background program processing daemon
                        ssh.service loaded active running OpenBSD Secure Shell server
                        auditd.service not-found inactive dead auditd.service
                        getty@tty1.service loaded inactive dead Getty on tty1
                        """)
                .answer("/usr/bin/systemctl show", """
                        Id=cron.service
                        LoadState=loaded
                        ActiveState=active
                        SubState=running
                        MainPID=612

                        Id=ssh.service
                        LoadState=loaded
                        ActiveState=active
                        SubState=running
                        MainPID=700

                        Id=getty@tty1.service
                        LoadState=loaded
                        ActiveState=inactive
                        SubState=dead
                        MainPID=0
                        """);
        SystemdBackend backend = backend(List.of(), true, runner);

        List<ServiceState> states = backend.check();

        assertThat(runner.calls().get(0)).containsExactly("/usr/bin/systemctl", "list-units", "--type=service", "--all",
                "--no-legend", "--plain", "--no-pager");
        assertThat(runner.calls().get(1)).endsWith("cron.service", "ssh.service", "getty@tty1.service");
        assertThat(states).extracting(ServiceState::name).containsExactly("cron", "ssh", "getty@tty1");
        assertThat(states).noneMatch(ServiceState::controllable);
        assertThat(states).extracting(ServiceState::status)
                .containsExactly(Status.RUNNING, Status.RUNNING, Status.STOPPED);
        assertThat(backend.owns("cron")).isFalse();
        assertThat(backend.act("cron", ServiceAction.RESTART, 0).ok()).isFalse();
        assertThat(runner.calls()).hasSize(2);
    }

    @Test
    void withoutDiscoveryAndConfigNothingRuns() {
        FakeCommandRunner runner = new FakeCommandRunner();
        assertThat(backend(List.of(), false, runner).check()).isEmpty();
        assertThat(runner.calls()).isEmpty();
    }

    @Test
    void configuredUnitsTurnDiscoveryOff() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", SHOW_FOUR);
        backend(List.of("nginx", "postgresql", "backup.timer", "ghost"), true, runner).check();
        assertThat(runner.calls()).extracting(argv -> argv.get(1)).containsExactly("show");
    }

    @Test
    void missingSystemctlMakesEveryConfiguredUnitUnknown() {
        FakeCommandRunner runner = new FakeCommandRunner(); // no answers: the program is not there
        List<ServiceState> states = backend(List.of("nginx", "redis-server"), false, runner).check();

        assertThat(states).extracting(ServiceState::name).containsExactly("nginx", "redis-server");
        assertThat(states).allSatisfy(state -> {
            assertThat(state.status()).isEqualTo(Status.UNKNOWN);
            assertThat(state.detail()).startsWith("systemctl could not run").contains("No such file");
            assertThat(state.controllable()).isTrue();
        });
    }

    @Test
    void systemctlFailingWithoutOutputOrTimingOutMakesUnitsUnknown() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show",
                new Output(1, "", "Failed to connect to bus: No such file or directory", false));
        ServiceState state = backend(List.of("nginx"), false, runner).check().get(0);
        assertThat(state.status()).isEqualTo(Status.UNKNOWN);
        assertThat(state.detail()).isEqualTo("systemctl failed: exit 1: Failed to connect to bus: No such file or"
                + " directory");

        runner.answer("/usr/bin/systemctl show", new Output(-1, "", "", true));
        state = backend(List.of("nginx"), false, runner).check().get(0);
        assertThat(state.status()).isEqualTo(Status.UNKNOWN);
        assertThat(state.detail()).isEqualTo("systemctl timed out after 10 s");
    }

    @Test
    void blocksFollowArgumentOrderSoAnAliasKeepsItsConfiguredName() {
        // On Debian "sshd.service" is an alias: systemd answers with the Id of the unit it points to.
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", """
                Id=ssh.service
                LoadState=loaded
                ActiveState=active
                SubState=running
                """);
        ServiceState state = backend(List.of("sshd"), false, runner).check().get(0);
        assertThat(state.name()).isEqualTo("sshd");
        assertThat(state.status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void missingBlocksAreMatchedByIdAndTheRestIsUnknown() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", """
                Id=redis.service
                LoadState=loaded
                ActiveState=active
                SubState=running
                """);
        List<ServiceState> states = backend(List.of("nginx", "redis"), false, runner).check();
        assertThat(states).extracting(ServiceState::status).containsExactly(Status.UNKNOWN, Status.RUNNING);
        assertThat(states.get(0).detail()).isEqualTo("no state from systemctl");
    }

    @Test
    void restartRunsExactlySystemctlRestartWithTheTimeout() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl restart", "");
        SystemdBackend backend = backend(List.of("nginx"), false, runner);

        ActionResult result = backend.act("nginx", ServiceAction.RESTART, 0);

        assertThat(runner.calls()).containsExactly(List.of("/usr/bin/systemctl", "restart", "nginx.service"));
        assertThat(runner.timeouts()).containsExactly(TIMEOUT);
        assertThat(result.ok()).isTrue();
        assertThat(result.message()).isEqualTo("restarted nginx.service");
    }

    @Test
    void startAndStopUseTheirOwnVerbs() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl start", "")
                .answer("/usr/bin/systemctl stop", "");
        SystemdBackend backend = backend(List.of("nginx.service"), false, runner);

        assertThat(backend.act("nginx.service", ServiceAction.START, 0).message()).isEqualTo("started nginx.service");
        assertThat(backend.act("nginx", ServiceAction.STOP, 0).message()).isEqualTo("stopped nginx.service");
        assertThat(runner.calls()).containsExactly(List.of("/usr/bin/systemctl", "start", "nginx.service"),
                List.of("/usr/bin/systemctl", "stop", "nginx.service"));
    }

    @Test
    void aFailedRestartSaysWhatSystemctlSaid() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl restart", new Output(1, "",
                "Job for nginx.service failed because the control process exited with error code.\n", false));

        ActionResult result = backend(List.of("nginx"), false, runner).act("nginx", ServiceAction.RESTART, 0);

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("restart nginx.service failed: exit 1: Job for nginx.service failed"
                + " because the control process exited with error code.");
    }

    @Test
    void aRestartThatCannotRunFailsWithoutThrowing() {
        ActionResult result = backend(List.of("nginx"), false, new FakeCommandRunner())
                .act("nginx", ServiceAction.RESTART, 0);
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).startsWith("restart nginx.service failed: systemctl could not run");
    }

    @Test
    void logsComeFromJournalctlWithoutItsNotes() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/journalctl -u", """
                2026-11-29T10:00:00+0000 web1 systemd[1]: Starting nginx.service...
                2026-11-29T10:00:01+0000 web1 systemd[1]: Started nginx.service.
                """);
        ActionResult result = backend(List.of("nginx"), false, runner).act("nginx", ServiceAction.LOGS, 50);

        assertThat(runner.calls()).containsExactly(
                List.of("/usr/bin/journalctl", "-u", "nginx.service", "-n", "50", "--no-pager", "-o", "short-iso"));
        assertThat(result.ok()).isTrue();
        assertThat(result.lines()).containsExactly(
                "2026-11-29T10:00:00+0000 web1 systemd[1]: Starting nginx.service...",
                "2026-11-29T10:00:01+0000 web1 systemd[1]: Started nginx.service.");
    }

    @Test
    void noEntriesIsAnEmptyLogNotALine() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/journalctl -u", "-- No entries --\n");
        ActionResult result = backend(List.of("nginx"), false, runner).act("nginx", ServiceAction.LOGS, 20);

        assertThat(result.ok()).isTrue();
        assertThat(result.lines()).isEmpty();
        assertThat(result.message()).isEqualTo("no log entries for nginx.service");
        assertThat(SystemdBackend.logLines("-- Logs begin at Sun 2026-11-01 00:00:00 UTC. --\nline one\n"))
                .containsExactly("line one");
    }

    @Test
    void logLineCountsAreKeptWithinBounds() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/journalctl -u", "");
        SystemdBackend backend = backend(List.of("nginx"), false, runner);
        backend.act("nginx", ServiceAction.LOGS, 0);
        backend.act("nginx", ServiceAction.LOGS, Integer.MAX_VALUE);
        assertThat(runner.calls()).extracting(argv -> argv.get(4))
                .containsExactly("1", Integer.toString(SystemdBackend.MAX_LOG_LINES));
    }

    @Test
    void aUnitNotConfiguredIsRefusedWithoutRunningAnything() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl restart", "")
                .answer("/usr/bin/journalctl -u", "");
        SystemdBackend backend = backend(List.of("postgresql"), false, runner);

        for (ServiceAction action : ServiceAction.values()) {
            ActionResult result = backend.act("nginx", action, 10);
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).isEqualTo("nginx is not in this agent's service list");
        }
        assertThat(backend.act("--force", ServiceAction.RESTART, 0).ok()).isFalse();
        assertThat(backend.act("nginx; reboot", ServiceAction.RESTART, 0).ok()).isFalse();
        assertThat(backend.act(null, ServiceAction.RESTART, 0).ok()).isFalse();
        assertThat(runner.calls()).isEmpty();
    }

    @Test
    void ownsOnlyConfiguredUnitsUnderEitherName() {
        SystemdBackend backend = backend(List.of("nginx", "php8.2-fpm", "backup.timer"), false,
                new FakeCommandRunner());
        assertThat(backend.owns("nginx")).isTrue();
        assertThat(backend.owns("nginx.service")).isTrue();
        assertThat(backend.reportedName("nginx.service")).as("one unit, one name in checks").isEqualTo("nginx");
        assertThat(backend.reportedName("backup.timer")).isEqualTo("backup.timer");
        assertThat(backend.owns("php8.2-fpm")).isTrue();
        assertThat(backend.owns("backup.timer")).isTrue();
        assertThat(backend.owns("backup")).isFalse();
        assertThat(backend.owns("apache2")).isFalse();
        assertThat(backend.owns(null)).isFalse();
    }

    @Test
    void invalidConfiguredNamesAreRejectedAtStart() {
        FakeCommandRunner runner = new FakeCommandRunner();
        assertThatThrownBy(() -> backend(List.of("nginx", "rm -rf"), false, runner))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rm -rf");
        assertThatThrownBy(() -> backend(List.of("-H"), false, runner))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyProgramIsCalledByItsAbsolutePath() {
        FakeCommandRunner runner = new FakeCommandRunner().answer("/usr/bin/systemctl show", SHOW_FOUR)
                .answer("/usr/bin/systemctl list-units", "").answer("/usr/bin/systemctl restart", "")
                .answer("/usr/bin/journalctl -u", "");
        SystemdBackend backend = backend(List.of("nginx"), true, runner);

        backend.check();
        backend.act("nginx", ServiceAction.RESTART, 0);
        backend.act("nginx", ServiceAction.LOGS, 10);

        assertThat(runner.calls()).isNotEmpty()
                .allSatisfy(argv -> assertThat(argv.get(0)).isIn("/usr/bin/systemctl", "/usr/bin/journalctl"));
    }
}
