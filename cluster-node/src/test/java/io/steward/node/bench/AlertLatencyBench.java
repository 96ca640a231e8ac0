package io.steward.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.agent.Agent;
import io.steward.agent.AgentRuntime;
import io.steward.agent.AgentSettings;
import io.steward.agent.ReportSource;
import io.steward.agent.simulate.SimulatedSource;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alert latency under load (run by {@code deploy/bench/alert-bench.sh} against a node started from the real jar):
 * N simulated servers report every second; one by one, a server's CPU jumps above a {@code for: 0} rule; the figure
 * is the time from the agent collecting the report that crosses the line to a real SMTP server (GreenMail, in this
 * process) accepting the email. Prints p50/p90/p99/max and how many emails each server got.
 *
 * <p>Arguments: node HTTP port, admin password, servers, alerts, milliseconds between alerts.
 */
public final class AlertLatencyBench {
    private static final String RULE_NAME = "Bench CPU spike";

    /** A simulated server whose CPU the bench can push over the line; records when that report was collected. */
    static final class SpikeSource implements ReportSource {
        private final SimulatedSource simulated;
        private volatile boolean spike;
        private volatile long crossedAtNanos;

        SpikeSource(String hostname, long seed) {
            this.simulated = new SimulatedSource(hostname, seed);
        }

        @Override
        public MetricsReport collect() {
            MetricsReport report = simulated.collect();
            MetricsReport.CpuStats cpu = report.cpu();
            // Below the line (at most 90 %) unless spiked, so no alert fires by chance.
            double percent = spike ? 99 : Math.min(cpu.percent(), 90);
            if (spike && crossedAtNanos == 0) {
                crossedAtNanos = System.nanoTime();
            }
            return new MetricsReport(report.collectedAt(), report.intervalMillis(), report.host(),
                    new MetricsReport.CpuStats(percent, cpu.perCore(), cpu.load1(), cpu.load5(), cpu.load15()),
                    report.memory(), report.filesystems(), report.disks(), report.interfaces(), report.processes(),
                    report.droppedReports());
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        int servers = Integer.parseInt(args[2]);
        int alerts = Math.min(servers, Integer.parseInt(args[3]));
        long gapMillis = Long.parseLong(args[4]);

        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        Map<String, Integer> emailsPerServer = new ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> watch(smtp, receivedAt, emailsPerServer), "smtp-watch");
        watcher.setDaemon(true);
        watcher.start();

        ApiClient api = new ApiClient(port);
        check(api.login("admin", password), "login");
        check(api.post("/api/channels", """
                {"name":"Bench mail","type":"email","severities":["critical"],"settings":{"host":"127.0.0.1",
                 "port":%d,"security":"none","from":"steward@bench.local","to":["ops@bench.local"]}}"""
                .formatted(smtpPort)), "channel");
        check(api.post("/api/alert-rules", """
                {"name":"%s","metric":"cpu.percent","comparison":"above","threshold":95,"recovery":50,
                 "for":"PT0S","severity":"critical"}""".formatted(RULE_NAME)), "rule");
        String token = api.post("/api/enrollment-tokens", "{\"maxUses\":" + servers + "}").json()
                .get("token").asText();

        Path state = Files.createTempDirectory("steward-alert-bench");
        URI hub = URI.create("ws://127.0.0.1:" + port + "/ws/agent");
        AgentRuntime runtime = AgentRuntime.create(2, hub);
        List<SpikeSource> sources = new ArrayList<>();
        List<Agent> agents = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            String name = String.format(Locale.ROOT, "bench-%04d", i);
            SpikeSource source = new SpikeSource(name, i);
            sources.add(source);
            agents.add(Agent.start(AgentSettings.builder().hub(hub).token(token).interval(Duration.ofSeconds(1))
                    .stateDirectory(state.resolve(name)).hostname(name).machineId("bench-machine-" + i)
                    .inMemorySpool(true).build(), source, runtime));
            Thread.sleep(5); // spread the connects, as --simulate does
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (online(api) < servers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + online(api) + " of " + servers + " servers came online");
            }
            Thread.sleep(500);
        }
        System.out.println("servers online: " + servers + "; warming up 20 s");
        Thread.sleep(20_000);
        long reportsBefore = reportsStored(api);
        long started = System.nanoTime();

        for (int i = 0; i < alerts; i++) {
            sources.get(i).spike = true;
            Thread.sleep(gapMillis);
        }
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (receivedAt.size() < alerts && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long reports = reportsStored(api) - reportsBefore;

        List<Double> latencies = new ArrayList<>();
        int missing = 0;
        for (int i = 0; i < alerts; i++) {
            SpikeSource source = sources.get(i);
            Long received = receivedAt.get(String.format(Locale.ROOT, "bench-%04d", i + 1));
            if (received == null || source.crossedAtNanos == 0) {
                missing++;
                continue;
            }
            latencies.add((received - source.crossedAtNanos) / 1e6);
        }
        Collections.sort(latencies);
        int duplicates = (int) emailsPerServer.values().stream().filter(count -> count > 1).count();
        System.out.printf(Locale.ROOT, "{\"servers\":%d,\"alerts\":%d,\"emails\":%d,\"missing\":%d,"
                        + "\"serversWithMoreThanOneEmail\":%d,\"reportsPerSecondDuringRun\":%.0f,"
                        + "\"latencyMs\":{\"p50\":%.0f,\"p90\":%.0f,\"p99\":%.0f,\"max\":%.0f}}%n",
                servers, alerts, receivedAt.size(), missing, duplicates, reports / seconds,
                percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
                latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));

        agents.forEach(Agent::close);
        runtime.close();
        smtp.stop();
        System.exit(missing == 0 && duplicates == 0 ? 0 : 1);
    }

    /** Stamps each email as GreenMail stores it (polled every millisecond; that is the resolution). */
    private static void watch(GreenMail smtp, Map<String, Long> receivedAt, Map<String, Integer> perServer) {
        int seen = 0;
        while (true) {
            MimeMessage[] messages = smtp.getReceivedMessages();
            long now = System.nanoTime();
            for (int i = seen; i < messages.length; i++) {
                try {
                    String subject = messages[i].getSubject();
                    String prefix = "[CRITICAL] " + RULE_NAME + " on ";
                    if (!subject.startsWith(prefix)) {
                        continue; // another rule (a simulated disk over 90 %), not part of the measurement
                    }
                    String server = subject.substring(prefix.length());
                    receivedAt.putIfAbsent(server, now);
                    perServer.merge(server, 1, Integer::sum);
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            seen = messages.length;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int online(ApiClient api) {
        int count = 0;
        for (JsonNode server : api.get("/api/servers").json()) {
            if (server.get("online").asBoolean()) {
                count++;
            }
        }
        return count;
    }

    private static long reportsStored(ApiClient api) {
        return api.get("/api/node").json().get("ingest").get("reportsStored").asLong();
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void check(ApiClient.Response response, String what) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException(what + ": HTTP " + response.status() + " " + response.raw().body());
        }
    }
}
