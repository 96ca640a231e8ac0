package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services end to end with real processes (systemd is not PID 1 here, so the supervised-process backend): a real
 * process killed and brought back by the node's restart policy, a start command that always fails (three attempts
 * with the backoff, then one critical alert), manual actions and logs through the API, and a refusal by the agent.
 */
class ServicesIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;
    @TempDir
    Path work;

    /** A unique command line for this test's worker: GNU sleep sums its arguments, so the fraction names it. */
    private final String marker = "3600." + ThreadLocalRandom.current().nextInt(100_000, 999_999);

    @AfterEach
    void killWorkers() {
        workers().forEach(ProcessHandle::destroyForcibly);
    }

    private List<ProcessHandle> workers() {
        // The command line starts with the resolved executable (/usr/bin/sleep), hence endsWith on the command.
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/sleep"))
                .orElse(false) && p.info().commandLine().map(line -> line.contains("sleep " + marker))
                .orElse(false)).toList();
    }

    @Test
    void aKilledProcessIsRestartedAndAFailingOneIsGivenUpWithOneCriticalAlert() throws Exception {
        Path log = work.resolve("worker.log");
        Files.writeString(log, "line one\nline two\nline three\n");
        String start = "sleep " + marker + " >/dev/null 2>&1 &";
        Path services = work.resolve("services.json");
        Files.writeString(services, """
                {"processes": [
                  {"name": "worker", "pattern": "sleep %s$", "start": ["sh", "-c", "%s"],
                   "stop": ["pkill", "-f", "^sleep %s$"], "log": "%s", "description": "A test worker"},
                  {"name": "broken", "pattern": "^no-such-program-%s", "start": ["false"]}
                ]}""".formatted(marker, start, marker, log, marker));
        new ProcessBuilder("sh", "-c", start).start().waitFor();
        eventually(WAIT, () -> assertThat(workers()).hasSize(1));

        var config = ConfigFactory.parseString("steward.services.restart-backoff = [1s, 2s]")
                .withFallback(TestNodes.h2(nodeDir));
        try (StewardNode node = StewardNode.start(config)) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            try (Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .token(api.enrollmentToken())
                    .interval(Duration.ofSeconds(1))
                    .stateDirectory(agentDir)
                    .servicesFile(services)
                    .build(), new SteerableSource("svc-1", 1000, 10))) {
                String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                String base = "/api/servers/" + serverId + "/services";
                JsonNode worker = await(WAIT, "the worker reported running", () ->
                        service(api, base, "worker").filter(s -> s.get("status").asText().equals("running"))
                                .orElse(null));
                assertThat(worker.get("kind").asText()).isEqualTo("process");
                assertThat(worker.get("controllable").asBoolean()).isTrue();
                assertThat(worker.get("autoRestart").asBoolean()).isTrue();
                assertThat(worker.get("memoryBytes").asLong()).as("resident memory of the real process").isPositive();
                long firstPid = worker.get("mainPid").asLong();

                // The broken service: exactly three attempts with the backoff, then one critical alert.
                await(WAIT, "the broken service to be given up", () -> service(api, base, "broken")
                        .filter(s -> s.get("recovery").get("state").asText().equals("gave-up")).orElse(null));
                List<JsonNode> attempts = events(api, serverId, "service-restart-attempted", "broken");
                assertThat(attempts).hasSize(3);
                assertThat(Duration.between(at(attempts.get(0)), at(attempts.get(1))))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
                assertThat(Duration.between(at(attempts.get(1)), at(attempts.get(2))))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
                assertThat(events(api, serverId, "service-restart-failed", "broken")).hasSize(2);
                assertThat(events(api, serverId, "service-recovery-gave-up", "broken")).hasSize(1);
                eventually(WAIT, () -> assertThat(api.get("/api/servers/" + serverId).json()
                        .get("criticalAlerts").asInt()).isEqualTo(1));
                long seen = agent.status().lastAckedSequence();
                eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThan(seen + 2));
                assertThat(events(api, serverId, "service-restart-attempted", "broken")).as("no fourth").hasSize(3);
                List<String> fired = events(api, serverId, "alert-fired", null).stream()
                        .map(e -> e.get("details").get("alert").get("ruleId").asText() + " "
                                + e.get("details").get("alert").get("series").asText()).toList();
                assertThat(fired).as("alerts fired").containsOnlyOnce(
                        "default-service-recovery service.recovery_failed{service=broken}");

                // A real process killed: detected within an interval, restarted by the policy, running again.
                Instant killed = Instant.now();
                workers().forEach(ProcessHandle::destroyForcibly);
                JsonNode back = await(WAIT, "the worker running again", () -> service(api, base, "worker")
                        .filter(s -> s.get("status").asText().equals("running")
                                && s.get("mainPid").asLong() != firstPid).orElse(null));
                Duration downtime = Duration.between(killed, Instant.now());
                System.out.println("worker killed -> running again as seen by the node: " + downtime.toMillis()
                        + " ms (interval 1 s)");
                assertThat(workers()).hasSize(1);
                assertThat(back.get("recovery").get("state").asText()).isEqualTo("idle");
                assertThat(events(api, serverId, "service-went-down", "worker")).hasSize(1);
                assertThat(events(api, serverId, "service-restart-attempted", "worker")).hasSize(1);
                assertThat(events(api, serverId, "service-recovered", "worker")).hasSize(1);

                // Manual actions through the API, recorded with the user; logs; a refusal by the agent.
                long pidBefore = back.get("mainPid").asLong();
                ApiClient.Response restart = api.post(base + "/worker/actions", "{\"action\":\"restart\"}");
                assertThat(restart.status()).as(restart.raw().body()).isEqualTo(200); // stop, then start
                await(WAIT, "the restarted worker", () -> service(api, base, "worker")
                        .filter(s -> s.get("status").asText().equals("running")
                                && s.get("mainPid").asLong() != pidBefore).orElse(null));
                ApiClient.Response stop = api.post(base + "/worker/actions", "{\"action\":\"stop\"}");
                assertThat(stop.status()).as(stop.raw().body()).isEqualTo(200);
                await(WAIT, "the worker stopped and held", () -> service(api, base, "worker")
                        .filter(s -> s.get("status").asText().equals("down")
                                && s.get("recovery").get("state").asText().equals("held")).orElse(null));
                assertThat(workers()).as("a stop by a person is not undone by the policy").isEmpty();
                assertThat(api.post(base + "/worker/actions", "{\"action\":\"start\"}").status()).isEqualTo(200);
                await(WAIT, "the worker started", () -> service(api, base, "worker")
                        .filter(s -> s.get("status").asText().equals("running")).orElse(null));
                assertThat(events(api, serverId, "service-action-requested", "worker"))
                        .extracting(e -> e.get("details").get("by").asText()).containsOnly("admin");

                JsonNode lines = api.get(base + "/worker/logs?lines=50").json().get("lines");
                assertThat(lines).hasSize(3);
                assertThat(lines.get(2).asText()).isEqualTo("line three");
                assertThat(api.get(base + "/worker/logs?lines=7").status()).isEqualTo(400);

                ApiClient.Response refused = api.post(base + "/sshd/actions", "{\"action\":\"restart\"}");
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.body().get("error").asText()).contains("not in this agent's service list");
                assertThat(api.post(base + "/worker/actions", "{\"action\":\"reboot\"}").status()).isEqualTo(400);
            }
        }
    }

    private static Optional<JsonNode> service(ApiClient api, String base, String name) {
        for (JsonNode service : api.get(base).json().get("services")) {
            if (service.get("name").asText().equals(name)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> events(ApiClient api, String serverId, String type, String service) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : api.get("/api/servers/" + serverId + "/events?limit=500").json().get("events")) {
            if (event.get("type").asText().equals(type)
                    && (service == null || service.equals(event.path("details").path("service").asText(null)))) {
                found.add(event);
            }
        }
        java.util.Collections.reverse(found); // the API lists newest first
        return found;
    }

    private static Instant at(JsonNode event) {
        return Instant.parse(event.get("at").asText());
    }
}
