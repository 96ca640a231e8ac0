package io.steward.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.checks.Resolver;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.HttpTarget;
import io.steward.node.testing.SteerableSource;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Check outage detection and false alerts, against a node started from the real jar ({@code deploy/bench/
 * checks-bench.sh}): three real agents (in this process) probe a real local HTTP server every 10 s with the
 * default 2 retries.
 * <ul>
 *   <li>detection: the target stops; the time until the check shows down in the API and until its alert fires
 *       (target: interval × retries + 10 s = 30 s);</li>
 *   <li>false alerts: with the target up, one vantage is cut off — first its link to the node (the agent stops), then
 *       its own network (its name lookups go nowhere and its reference URL is unreachable) — for CUT seconds each;
 *       every alert of the check in that time is counted (target: 0).</li>
 * </ul>
 * Prints one JSON line per measurement and a summary line.
 */
public final class CheckDetectionBench {
    private static final Duration WAIT = Duration.ofMinutes(2);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        Path work = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Duration cut = Duration.ofSeconds(Long.parseLong(args[4]));
        int sitePort = FreePort.find();
        HttpServer site = start(sitePort);
        Resolver toSite = host -> List.of(InetAddress.getByName(host.equals("site.bench") ? "127.0.0.1" : host));
        Resolver nowhere = host -> List.of(InetAddress.getByName(host.equals("site.bench") ? "127.0.0.2" : host));
        ApiClient api = new ApiClient(port);
        check(api.login("admin", password).status() == 200, "login");
        List<Agent> agents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Agent agent = agent(port, api, work.resolve(name), name, CheckOptions.DEFAULT.withResolver(toSite));
            agents.add(agent);
            ids.add(await("agent " + name, () -> agent.status().serverId()));
        }
        ApiClient.Response created = api.post("/api/checks", """
                {"name":"Bench site","kind":"http","url":"http://site.bench:%d/health","interval":"PT10S",
                 "retries":2,"timeout":"PT3S","vantages":{"kind":"servers","values":["%s","%s","%s"]}}"""
                .formatted(sitePort, ids.get(0), ids.get(1), ids.get(2)));
        check(created.status() == 201, "create: " + created.raw().body());
        String id = created.json().get("id").asText();
        await("the check up", () -> state(api, id, "up"));

        List<Double> toDown = new ArrayList<>();
        List<Double> toAlert = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Instant stopped = Instant.now();
            site.stop(0);
            await("down", () -> state(api, id, "down"));
            double down = Duration.between(stopped, Instant.now()).toMillis() / 1000.0;
            await("the alert", () -> alerts(api).contains("url.down{check=" + id + "}") ? true : null);
            double alert = Duration.between(stopped, Instant.now()).toMillis() / 1000.0;
            toDown.add(down);
            toAlert.add(alert);
            System.out.printf(Locale.ROOT, "{\"measure\":\"detection\",\"round\":%d,\"toDownSeconds\":%.1f,"
                    + "\"toAlertSeconds\":%.1f}%n", round, down, alert);
            site = start(sitePort);
            await("up again", () -> state(api, id, "up"));
            await("resolved", () -> alerts(api).contains("url.down{check=" + id + "}") ? null : true);
        }

        int before = episodes(api, id);
        agents.get(2).close();
        Instant until = Instant.now().plus(cut);
        int linkAlerts = watch(api, id, until, before);
        System.out.printf(Locale.ROOT, "{\"measure\":\"false-alerts\",\"cut\":\"link\",\"seconds\":%d,"
                + "\"alerts\":%d,\"state\":\"%s\"}%n", cut.toSeconds(), linkAlerts,
                api.get("/api/checks/" + id).json().get("state").asText());

        int beforeNetwork = episodes(api, id);
        int closed = FreePort.find();
        Agent cutOff = agent(port, api, work.resolve("c"), "c", CheckOptions.DEFAULT.withResolver(nowhere)
                .withReference(URI.create("http://127.0.0.1:" + closed + "/")));
        await("c back", () -> cutOff.status().connected() ? true : null);
        until = Instant.now().plus(cut);
        int networkAlerts = watch(api, id, until, beforeNetwork);
        JsonNode last = api.get("/api/checks/" + id).json();
        System.out.printf(Locale.ROOT, "{\"measure\":\"false-alerts\",\"cut\":\"network\",\"seconds\":%d,"
                + "\"alerts\":%d,\"state\":\"%s\",\"vantageC\":\"%s\"}%n", cut.toSeconds(), networkAlerts,
                last.get("state").asText(), vantageState(last, ids.get(2)));
        toDown.sort(Double::compare);
        toAlert.sort(Double::compare);
        System.out.printf(Locale.ROOT, "{\"summary\":true,\"rounds\":%d,\"toDownP50\":%.1f,\"toDownMax\":%.1f,"
                + "\"toAlertP50\":%.1f,\"toAlertMax\":%.1f,\"targetSeconds\":30,\"falseAlerts\":%d}%n", rounds,
                toDown.get(toDown.size() / 2), toDown.get(toDown.size() - 1), toAlert.get(toAlert.size() / 2),
                toAlert.get(toAlert.size() - 1), linkAlerts + networkAlerts);
        cutOff.close();
        agents.get(0).close();
        agents.get(1).close();
        site.stop(0);
    }

    /** Alerts of the check that start before {@code until}. */
    private static int watch(ApiClient api, String id, Instant until, int before) throws InterruptedException {
        int most = 0;
        while (Instant.now().isBefore(until)) {
            most = Math.max(most, episodes(api, id) - before + (alerts(api).contains("check=" + id) ? 1 : 0));
            Thread.sleep(1000); // a measurement's sampling rate, not synchronisation
        }
        return most;
    }

    private static int episodes(ApiClient api, String id) {
        int count = 0;
        for (JsonNode episode : api.get("/api/alerts/history?server=check:" + id + "&limit=1000").json()) {
            count += episode.get("serverId").asText().equals("check:" + id) ? 1 : 0;
        }
        return count;
    }

    private static String vantageState(JsonNode check, String serverId) {
        for (JsonNode vantage : check.get("vantages")) {
            if (vantage.get("serverId").asText().equals(serverId)) {
                return vantage.get("state").asText();
            }
        }
        return "none";
    }

    private static String alerts(ApiClient api) {
        return api.get("/api/alerts").raw().body();
    }

    private static JsonNode state(ApiClient api, String id, String state) {
        JsonNode check = api.get("/api/checks/" + id).json();
        return check.get("state").asText().equals(state) ? check : null;
    }

    private static Agent agent(int port, ApiClient api, Path state, String name, CheckOptions checks) {
        return Agent.start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + port + "/ws/agent"))
                .token(api.enrollmentToken())
                .interval(Duration.ofSeconds(5))
                .stateDirectory(state)
                .machineId("bench-machine-" + name)
                .checks(checks)
                .build(), new SteerableSource("bench-" + name, 1000, 10));
    }

    private static HttpServer start(int port) throws java.io.IOException {
        return HttpTarget.start(port, "ok");
    }

    private static <T> T await(String what, java.util.function.Supplier<T> value) {
        return io.steward.core.testing.Eventually.await(WAIT, what, value);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("failed: " + what);
        }
    }
}
