package io.steward.agent.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own service list and the monitor's refusal of anything outside it. */
class ServicesConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServicesConfig parse(String json) throws Exception {
        return ServicesConfig.parse(JSON.readTree(json));
    }

    @Test
    void aConfigNamesUnitsAndSupervisedProcessesWithTheirCommands() throws Exception {
        ServicesConfig config = parse("""
                {"systemd": ["nginx", "postgresql.service"], "processes": [
                  {"name": "worker", "pattern": "worker --serve", "port": 8080,
                   "start": ["/opt/worker", "--serve"], "log": "/var/log/worker.log"}]}""");
        assertThat(config.systemd()).containsExactly("nginx", "postgresql.service");
        ServicesConfig.Process worker = config.processes().get(0);
        assertThat(worker.start()).containsExactly("/opt/worker", "--serve");
        assertThat(worker.restart()).isEmpty();
        assertThat(worker.port()).isEqualTo(8080);
    }

    @Test
    void mistakesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{\"sytemd\": []}")).hasMessageContaining("unknown key \"sytemd\"");
        assertThatThrownBy(() -> parse("{\"processes\": [{\"name\": \"w\"}]}"))
                .hasMessageContaining("needs a pidfile or a pattern");
        assertThatThrownBy(() -> parse("{\"processes\": [{\"name\": \"w\", \"pattern\": \"(\"}]}"))
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> parse("{\"processes\": [{\"name\": \"w\", \"pattern\": \"w\","
                + " \"start\": \"systemctl start w; rm -rf /\"}]}")).hasMessageContaining("no shell");
        assertThatThrownBy(() -> parse("{\"systemd\": [\"nginx\", \"nginx.service\"]}"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> parse("{\"systemd\": [\"ngi nx\"]}")).hasMessageContaining("not a service name");
        assertThatThrownBy(() -> parse("{\"processes\": [{\"name\": \"w\", \"pattern\": \"w\", \"port\": 0}]}"))
                .hasMessageContaining("port");
    }

    @Test
    void theMonitorRefusesServicesItsBackendsDoNotOwnAndRunsNothing() {
        List<String> acted = new ArrayList<>();
        ServiceBackend backend = new ServiceBackend() {
            @Override
            public List<ServiceState> check() {
                return List.of();
            }

            @Override
            public boolean owns(String service) {
                return service.equals("worker");
            }

            @Override
            public ActionResult act(String service, ServiceAction action, int lines) {
                acted.add(service + " " + action + " " + lines);
                return ActionResult.ok("done");
            }
        };
        List<AgentMessage> sent = new ArrayList<>();
        try (ServiceMonitor monitor = new ServiceMonitor(List.of(backend), sent::add)) {
            AgentMessage.CommandResult refused = monitor.execute(
                    new NodeMessage.ServiceCommand("c1", "sshd", ServiceAction.RESTART, 0));
            assertThat(refused.refused()).isTrue();
            assertThat(refused.message()).contains("not in this agent's service list");
            AgentMessage.CommandResult weird = monitor.execute(
                    new NodeMessage.ServiceCommand("c2", "worker; reboot", ServiceAction.RESTART, 0));
            assertThat(weird.refused()).isTrue();
            assertThat(acted).isEmpty();

            assertThat(monitor.execute(new NodeMessage.ServiceCommand("c3", "worker", ServiceAction.LOGS, 50_000))
                    .ok()).isTrue();
            assertThat(acted).containsExactly("worker LOGS 1000");
        }
    }

    @Test
    void aServicesFileOthersMayWriteIsRefused(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("services.json");
        Files.writeString(file, "{\"systemd\":[\"nginx\"]}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> ServicesConfig.load(file))
                .hasMessageContaining("writable by other users").hasMessageContaining("chmod go-w");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--rw-"));
        assertThatThrownBy(() -> ServicesConfig.load(file)).hasMessageContaining("writable by other users");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ServicesConfig.load(file).systemd()).containsExactly("nginx");

        // Nor one in a directory others may write: they could swap the file for their own.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> ServicesConfig.load(file)).hasMessageStartingWith(directory
                + " (the directory holding " + file + ") is writable by other users (rwxrwx---), so services.json "
                + "could be swapped").hasMessageEndingWith("chmod go-w " + directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
}
