package io.steward.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.collect.OshiCollector;
import io.steward.node.NodeConfig;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time from a supervised process dying to it running again, with default settings (agent interval 5 s, the
 * policy's first restart at once), measured by {@code deploy/bench/recovery-bench.sh}: a node on H2 and a real agent
 * in this JVM; a real process is killed N times, a few seconds apart at random phases of the check interval (the
 * flap guard is raised for this, or it would stop restarting after 5). Two
 * figures per kill: until a new process exists (the OS view) and until the node reports it running.
 *
 * <p>Arguments: kills (default 20), agent interval in seconds (default 5).
 */
public final class RecoveryBench {
    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("steward-recovery-bench");
        String marker = "3600." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        String start = "sleep " + marker + " >/dev/null 2>&1 &";
        Path services = dir.resolve("services.json");
        Files.writeString(services, """
                {"processes": [{"name": "worker", "pattern": "sleep %s$", "start": ["sh", "-c", "%s"]}]}"""
                .formatted(marker, start));
        new ProcessBuilder("sh", "-c", start).start().waitFor();
        var config = NodeConfig.load(ConfigFactory.parseString("""
                        steward.http.bind = "127.0.0.1"
                        steward.http.port = 0
                        steward.auth.bcrypt-cost = 4
                        pekko.remote.artery.canonical.port = 0
                        # Everything else default; the flap guard (5 restarts an hour) would stop this bench at 5.
                        steward.services.flap-restarts = 1000
                        """)
                .withValue("steward.data-dir", ConfigValueFactory.fromAnyRef(dir.resolve("node").toString()))
                .withValue("steward.admin-password", ConfigValueFactory.fromAnyRef("bench-password-1")));
        List<Double> osMillis = new ArrayList<>();
        List<Double> nodeMillis = new ArrayList<>();
        try (StewardNode node = StewardNode.start(config)) {
            ApiClient api = new ApiClient(node.httpPort());
            api.login("admin", "bench-password-1");
            try (Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .token(api.enrollmentToken()).interval(Duration.ofSeconds(interval))
                    .stateDirectory(dir.resolve("agent")).servicesFile(services).build(), new OshiCollector())) {
                String serverId = waitFor(Duration.ofSeconds(60), () -> Optional.ofNullable(agent.status().serverId()));
                String base = "/api/servers/" + serverId + "/services";
                for (int i = 0; i < kills; i++) {
                    long pid = waitFor(Duration.ofSeconds(60), () -> running(api, base));
                    Thread.sleep(ThreadLocalRandom.current().nextLong(interval * 1000L)); // a random phase
                    long killed = System.nanoTime();
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    waitFor(Duration.ofSeconds(60), () -> workers(marker).stream().filter(p -> p != pid).findFirst());
                    osMillis.add((System.nanoTime() - killed) / 1e6);
                    waitFor(Duration.ofSeconds(60), () -> running(api, base).filter(p -> p != pid));
                    nodeMillis.add((System.nanoTime() - killed) / 1e6);
                    System.out.printf(Locale.ROOT, "kill %d: process back after %.0f ms, node shows it after %.0f ms%n",
                            i + 1, osMillis.get(i), nodeMillis.get(i));
                }
            }
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(l -> l.contains("sleep " + marker))
                    .orElse(false)).forEach(ProcessHandle::destroyForcibly);
        }
        Collections.sort(osMillis);
        Collections.sort(nodeMillis);
        System.out.printf(Locale.ROOT, "{\"kills\":%d,\"intervalSeconds\":%d,\"processBackMs\":{\"p50\":%.0f,\"p90\":%.0f,"
                        + "\"max\":%.0f},\"nodeShowsRunningMs\":{\"p50\":%.0f,\"p90\":%.0f,\"max\":%.0f},"
                        + "\"targetMs\":%d}%n", kills, interval, pct(osMillis, 0.5), pct(osMillis, 0.9),
                osMillis.get(osMillis.size() - 1), pct(nodeMillis, 0.5), pct(nodeMillis, 0.9),
                nodeMillis.get(nodeMillis.size() - 1), interval * 1000 + 2000);
        System.exit(0);
    }

    private static Optional<Long> running(ApiClient api, String base) {
        for (JsonNode service : api.get(base).json().path("services")) {
            if (service.get("name").asText().equals("worker") && service.get("status").asText().equals("running")) {
                return Optional.of(service.get("mainPid").asLong());
            }
        }
        return Optional.empty();
    }

    private static List<Long> workers(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/sleep"))
                .orElse(false) && p.info().commandLine().map(l -> l.contains("sleep " + marker)).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static <T> T waitFor(Duration limit, java.util.function.Supplier<Optional<T>> probe)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("gave up waiting after " + limit);
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
