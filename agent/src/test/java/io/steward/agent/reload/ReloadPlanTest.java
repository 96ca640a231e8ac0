package io.steward.agent.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.AgentSettings;
import io.steward.agent.logging.LogLevel;
import io.steward.agent.logging.LogOptions;
import io.steward.agent.reload.ReloadPlan.Change;
import io.steward.agent.services.ServicesConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure reload decision: what applies now, what waits for a restart, and what runs next. */
class ReloadPlanTest {
    private static final Path SERVICES = Path.of("/etc/steward/services.json");

    private static AgentSettings.Builder settings() {
        return AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:8080/ws/agent"))
                .token("secret-token")
                .servicesFile(SERVICES)
                .topProcesses(10);
    }

    @TempDir
    Path directory;

    private ServicesConfig services(String json) throws Exception {
        Path file = Files.writeString(Files.createTempFile(directory, "services", ".json"), json);
        return ServicesConfig.load(file);
    }

    private static final String ALPHA = "{\"processes\": [{\"name\": \"alpha\", \"pattern\": \"alpha --serve\"}]}";

    @Test
    void theSameConfigChangesNothing() throws Exception {
        AgentConfig running = new AgentConfig(settings().build(), LogOptions.DEFAULT, services(ALPHA));
        // Read again: equal, though a new Pattern object (which has no value equality) stands in each process.
        AgentConfig reloaded = new AgentConfig(settings().build(), LogOptions.DEFAULT, services(ALPHA));
        ReloadPlan plan = ReloadPlan.between(running, reloaded);
        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.servicesChanged()).isFalse();
        assertThat(plan.next()).isEqualTo(running);
    }

    @Test
    void servicesTopProcessesAndLoggingApplyNow() throws Exception {
        AgentConfig running = new AgentConfig(settings().build(), LogOptions.DEFAULT, services(ALPHA));
        LogOptions logging = new LogOptions(Path.of("/var/log/steward/agent.log"), 1L << 20, 3, LogLevel.DEBUG);
        ServicesConfig edited = services(ALPHA.replace("alpha --serve", "alpha --serve --port 9"));
        AgentConfig reloaded = new AgentConfig(settings().topProcesses(3).build(), logging, edited);

        ReloadPlan plan = ReloadPlan.between(running, reloaded);

        assertThat(plan.needsRestart()).isEmpty();
        assertThat(plan.servicesChanged()).isTrue();
        assertThat(plan.applied()).containsExactly(
                new Change("services", SERVICES + " (0 systemd units, 1 processes)",
                        SERVICES + " (0 systemd units, 1 processes) (edited)"),
                new Change("top-processes", "10", "3"),
                new Change("log-file", "stderr", "/var/log/steward/agent.log"),
                new Change("log-max-bytes", "10MB", "1MB"),
                new Change("log-max-files", "5", "3"),
                new Change("log-level", "info", "debug"));
        assertThat(plan.next().settings().topProcesses()).isEqualTo(3);
        assertThat(plan.next().services()).isSameAs(edited);
        assertThat(plan.next().logging()).isEqualTo(logging);
    }

    @Test
    void aServicesFileAddedOrRemovedIsAChangeOfServices() throws Exception {
        AgentConfig without = new AgentConfig(settings().servicesFile(null).build(), LogOptions.DEFAULT, null);
        AgentConfig with = new AgentConfig(settings().build(), LogOptions.DEFAULT, services(ALPHA));
        ReloadPlan added = ReloadPlan.between(without, with);
        assertThat(added.servicesChanged()).isTrue();
        assertThat(added.applied()).containsExactly(
                new Change("services", "none", SERVICES + " (0 systemd units, 1 processes)"));
        assertThat(added.next().settings().servicesFile()).isEqualTo(SERVICES);

        ReloadPlan removed = ReloadPlan.between(with, without);
        assertThat(removed.servicesChanged()).isTrue();
        assertThat(removed.next().settings().servicesFile()).isNull();
        assertThat(removed.next().services()).isNull();
    }

    @Test
    void theIntervalAppliesNowAndRemovingItGivesWayToTheNode() {
        AgentConfig without = new AgentConfig(settings().build(), LogOptions.DEFAULT, null);
        AgentConfig tenSeconds = new AgentConfig(settings().interval(Duration.ofSeconds(10)).build(),
                LogOptions.DEFAULT, null);
        AgentConfig fiveSeconds = new AgentConfig(settings().interval(Duration.ofSeconds(5)).build(),
                LogOptions.DEFAULT, null);

        ReloadPlan changed = ReloadPlan.between(tenSeconds, fiveSeconds);
        assertThat(changed.applied()).containsExactly(new Change("interval", "10s", "5s"));
        assertThat(changed.needsRestart()).isEmpty();
        assertThat(changed.next().settings().localInterval()).contains(Duration.ofSeconds(5));

        // Writing the default's value is still setting it: the agent then keeps 5 s whatever the node suggests.
        ReloadPlan setToTheDefault = ReloadPlan.between(without, fiveSeconds);
        assertThat(setToTheDefault.applied())
                .containsExactly(new Change("interval", "not set (the node's suggestion)", "5s"));

        ReloadPlan removed = ReloadPlan.between(tenSeconds, without);
        assertThat(removed.applied())
                .containsExactly(new Change("interval", "10s", "not set (the node's suggestion)"));
        assertThat(removed.next().settings().localInterval()).isEmpty();
    }

    @Test
    void everythingElseNeedsARestartAndKeepsItsRunningValue() throws Exception {
        AgentSettings runningSettings = settings().build();
        AgentConfig running = new AgentConfig(runningSettings, LogOptions.DEFAULT, services(ALPHA));
        AgentConfig reloaded = new AgentConfig(settings()
                .hub(URI.create("ws://127.0.0.1:9090/ws/agent"))
                .token("another-secret")
                .interval(Duration.ofSeconds(10))
                .stateDirectory(Path.of("/var/lib/other"))
                .spoolMaxBytes(1L << 30)
                .topProcesses(4)
                .build(), LogOptions.DEFAULT, services(ALPHA));

        ReloadPlan plan = ReloadPlan.between(running, reloaded);

        assertThat(plan.applied()).containsExactly(new Change("top-processes", "10", "4"),
                new Change("interval", "not set (the node's suggestion)", "10s"));
        assertThat(plan.needsRestart()).containsExactly(
                new Change("hub", "ws://127.0.0.1:8080/ws/agent", "ws://127.0.0.1:9090/ws/agent"),
                new Change("token", "(hidden)", "(hidden)"),
                new Change("state-dir", "steward-agent-state", "/var/lib/other"),
                new Change("spool-max-bytes", "100MB", "1GB"));
        assertThat(plan.needsRestart().toString()).doesNotContain("secret");
        assertThat(plan.next().settings()).isEqualTo(runningSettings.toBuilder().topProcesses(4)
                .interval(Duration.ofSeconds(10)).build());
        assertThat(plan.servicesChanged()).isFalse();
    }
}
