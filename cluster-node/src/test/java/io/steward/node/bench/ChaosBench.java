package io.steward.node.bench;

import static io.steward.core.testing.Eventually.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.agent.Agent;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.ClusterRig;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.SimulatedFleet;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failover chaos run ({@code deploy/bench/chaos-bench.sh}): three node processes on one real PostgreSQL with
 * mutual TLS, simulated agents at the default 5 s interval spread over them, a real SMTP server and a CPU rule the
 * simulated load crosses now and then. At random moments the node hosting the most server entities is killed with
 * {@code kill -9}: first {@code kills} times left dead until every agent is acknowledged again (then restarted, as
 * systemd does), then {@code inPlaceKills} times restarted at once. For each kill: the time until every agent had a
 * report acknowledged again (the last affected agent). At the end: reports lost, stored twice, false offline events,
 * duplicate notifications (two firing or two resolved mails in a row for one server), journal histories with holes.
 *
 * <p>Arguments: kills (20), in-place kills (10), agents per node (100), seed (random).
 */
public final class ChaosBench {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Pattern SERVER = Pattern.compile("Server:\\s+\\S+ \\(([^)]+)\\)");

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int inPlaceKills = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perNode = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : new Random().nextLong();
        Random random = new Random(seed);
        Path work = Files.createTempDirectory("steward-chaos");
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        System.out.printf("chaos: 3 nodes, %d simulated agents at 5 s, %d kills left dead + %d restarted in place,"
                + " seed %d%n", 3 * perNode, kills, inPlaceKills, seed);
        try (ClusterRig rig = ClusterRig.start("chaos-bench", work, 3);
                SimulatedFleet fleet = SimulatedFleet.start(rig, perNode, Duration.ofSeconds(5), work)) {
            ApiClient admin = rig.admin(0);
            admin.addMailChannel(smtpPort);
            // The simulated CPU wanders around 25 % (sd ~11): above 45 now and then on some of the servers, so
            // alerts fire and resolve throughout the run, across the kills. Critical: per severity one rule applies to
            // a series, and the seeded default CPU warning rule (the older one) wins over a second warning rule.
            ApiClient.Response rule = admin.post("/api/alert-rules", """
                    {"name":"CPU hot","metric":"cpu.percent","comparison":"above","threshold":45,"recovery":35,
                     "for":"PT0S","severity":"critical"}""");
            if (rule.status() != 201) {
                throw new IllegalStateException("the alert rule was not created: " + rule.raw().body());
            }
            fleet.awaitReporting(3 * perNode, WAIT);

            List<Long> dead = new ArrayList<>();
            List<Long> inPlace = new ArrayList<>();
            for (int k = 1; k <= kills + inPlaceKills; k++) {
                boolean restartAtOnce = k > kills;
                Thread.sleep(2_000 + random.nextInt(10_000)); // a random moment of the agents' 5 s cycle
                Map<NodeJvm, ClusterRig.Hosting> hosting = rig.hosting(random.nextInt(3));
                NodeJvm victim = hosting.entrySet().stream()
                        .max(Comparator.comparingInt(entry -> entry.getValue().serverEntities()))
                        .orElseThrow().getKey();
                Map<Agent, Long> before = fleet.acked();
                java.time.Instant killedAt = java.time.Instant.now();
                long killed = System.nanoTime();
                victim.kill();
                if (restartAtOnce) {
                    victim.restart();
                }
                Map<Agent, Duration> after = fleet.awaitAckedAgain(before, killed, WAIT);
                long last = after.values().stream().mapToLong(Duration::toMillis).max().orElseThrow();
                (restartAtOnce ? inPlace : dead).add(last);
                System.out.printf("kill %2d (%s): %s hosting %d server entities%s -> every agent acknowledged again"
                                + " after %d ms%n", k, restartAtOnce ? "restarted in place" : "left dead",
                        victim.name(), hosting.get(victim).serverEntities(), hosting.get(victim).oldest()
                                ? " (oldest: coordinator, notifier)" : "", last);
                List<Long> each = after.values().stream().map(Duration::toMillis).sorted().toList();
                int survivor = (rig.nodes().indexOf(victim) + 1) % rig.nodes().size();
                // The failover goes on after the agents are back (the entities move later): its phases once ended.
                String phases = phasesOnceRecovered(rig, rig.admin(survivor), victim, killedAt);
                System.out.printf("    agents: p50 %.1f s, p95 %.1f s; failover: %s%n", rank(each, 0.50) / 1000.0,
                        rank(each, 0.95) / 1000.0, phases);
                if (!restartAtOnce) {
                    victim.restart();
                }
                victim.awaitServing(WAIT);
                int asking = rig.nodes().indexOf(victim);
                await(WAIT, "three members up", () -> rig.upMembers(asking).size() == 3 ? true : null);
            }
            // Two more report cycles, so every acknowledged report is settled in the store.
            fleet.awaitAckedAgain(fleet.acked(), System.nanoTime(), WAIT);
            fleet.awaitAckedAgain(fleet.acked(), System.nanoTime(), WAIT);

            List<String> damage = rig.damage(fleet.agents(), admin);
            MimeMessage[] mails = smtp.getReceivedMessages();
            System.out.println(summary("left dead until recovered", dead));
            System.out.println(summary("restarted in place", inPlace));
            Map<String, Long> byKind = damage.stream().collect(java.util.stream.Collectors.groupingBy(
                    line -> line.replaceFirst("^[^:]*: ", "").replaceAll("[0-9]+", "N"), java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
            System.out.printf("damage (reports lost or stored twice, false offline, journal holes, rollup errors): %d"
                    + " %s; duplicate notifications: %d of %d alert mails%n", damage.size(), byKind,
                    duplicates(mails), mails.length);
            damage.forEach(line -> System.out.println("  damage: " + line));
        } finally {
            smtp.stop();
        }
    }

    /** The failover's phases after the kill at {@code killedAt}, once its entities recovered (or after a minute). */
    private static String phasesOnceRecovered(ClusterRig rig, ApiClient admin, NodeJvm victim,
            java.time.Instant killedAt) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, Duration> phases = rig.failoverPhases(admin, victim, killedAt);
        while (!phases.containsKey("entities-recovered") && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling the cluster view until the phase is recorded, with a deadline
            phases = rig.failoverPhases(admin, victim, killedAt);
        }
        List<String> parts = new ArrayList<>();
        phases.forEach((kind, since) -> parts.add(String.format(Locale.ROOT, "%s +%.1f s", kind,
                since.toMillis() / 1000.0)));
        return parts.isEmpty() ? "none recorded" : String.join(", ", parts);
    }

    /** Two firing (or two resolved) mails in a row for one server: a transition notified twice. */
    private static int duplicates(MimeMessage[] mails) throws Exception {
        Map<String, String> lastKind = new HashMap<>();
        int duplicates = 0;
        for (MimeMessage mail : mails) {
            Matcher server = SERVER.matcher(GreenMailUtil.getBody(mail));
            if (!server.find()) {
                continue;
            }
            String kind = mail.getSubject().startsWith("[RESOLVED]") ? "resolved" : mail.getSubject();
            if (kind.equals(lastKind.put(server.group(1) + " " + mail.getSubject().replaceFirst("^\\[[A-Z]+\\] ", ""),
                    kind))) {
                duplicates++;
            }
        }
        return duplicates;
    }

    static String summary(String what, List<Long> millis) {
        if (millis.isEmpty()) {
            return what + ": no kills";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "%s, %d kills: every agent acknowledged again after p50 %.1f s, p95 %.1f s,"
                        + " max %.1f s", what, sorted.size(), rank(sorted, 0.50) / 1000.0, rank(sorted, 0.95) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }

    /** The nearest-rank percentile. */
    private static long rank(List<Long> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
