package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.Agent;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.ClusterRig;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.SimulatedFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node frozen with SIGSTOP (what a long GC pause or a paused VM looks like to the others). Frozen for less than the
 * resolver's stable-after (7 s) it is not downed: the same incarnation stays a member. Frozen for longer it is downed
 * while frozen; when it resumes it learns that, stops and exits 1, is started again (as systemd does) and rejoins —
 * and no entity ever had two writers: every journal history is dense, every acknowledged report stored once, no
 * server said to have gone offline.
 */
class ClusterFreezeIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PER_NODE = 10;

    @TempDir
    Path work;

    @Test
    void aShortFreezeIsRiddenOutAndALongOneIsDownedRestartedAndRejoinsWithOneWriterPerEntity() throws Exception {
        try (ClusterRig rig = ClusterRig.start("cluster-freeze", work, 3);
                SimulatedFleet fleet = SimulatedFleet.start(rig, PER_NODE, Duration.ofSeconds(5), work)) {
            fleet.awaitReporting(3 * PER_NODE, WAIT);
            ApiClient observer = rig.admin(0);
            int asking = 0;
            NodeJvm frozen = rig.node(2);
            String frozenAddress = rig.members(asking).stream()
                    .filter(address -> address.endsWith(":" + frozen.argument("--cluster-port"))).findFirst()
                    .orElseThrow();

            // Shorter than stable-after: suspected perhaps, never downed.
            frozen.signal("STOP");
            Thread.sleep(4_000); // the freeze's length is what is tested, not a wait for something to happen
            frozen.signal("CONT");
            eventually(WAIT, () -> assertThat(rig.upMembers(asking)).as("all three up and reachable")
                    .hasSize(3));
            assertThat(frozen.process().isAlive()).as("the briefly frozen node runs on").isTrue();
            assertThat(observer.get("/api/cluster").json().get("failovers").toString())
                    .as("no member was downed or removed").doesNotContain("\"downed\"").doesNotContain("\"removed\"");

            // Longer than detection + stable-after: downed while frozen. Frozen right after a report of the agents
            // connected to it, so that their servers' offline timers fire after it was removed (and their
            // connections with it): the failover grace must hold without the connection it was given for.
            Map<Agent, Long> ofFrozen = new java.util.HashMap<>(fleet.acked());
            ofFrozen.keySet().retainAll(fleet.agentsOf(2));
            fleet.awaitAckedAgain(ofFrozen, System.nanoTime(), WAIT);
            Map<Agent, Long> before = fleet.acked();
            frozen.signal("STOP");
            eventually(WAIT, () -> assertThat(rig.members(asking)).as("the frozen node removed")
                    .doesNotContain(frozenAddress).hasSize(2));
            frozen.signal("CONT");
            // It normally stops within seconds (the survivors answer its first heartbeat with "quarantined"); the
            // limit is generous for a loaded CI machine, and a miss says where the node was stuck.
            long resumed = System.nanoTime();
            boolean stopped = frozen.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(stopped).as(() -> "a downed node stops when it resumes; after "
                    + (System.nanoTime() - resumed) / 1_000_000 + " ms it still ran:\n" + threadDump(frozen)
                    + "\n--- its log's end ---\n" + tail(frozen.output(), 200)).isTrue();
            assertThat(frozen.process().exitValue()).as("and exits non-zero, for systemd to restart it").isEqualTo(1);
            // Its actor system ended, or did not within NodeProcess's limit (Artery can wait for a stalled remoting
            // stream) and the process halted: either way it is down for the supervisor to start again.
            assertThat(frozen.output()).containsAnyOf("Steward node stopped: its actor system ended.",
                    "Steward node stopped: its actor system did not end; halted.");
            // It knew it had stood still that long (PauseWatch; the 4 s freeze before logged ~4 s), so its offline
            // timers waited even when the freeze ended within their tolerance of being due (three false "went
            // offline" here on 2026-12-05).
            assertThat(java.util.regex.Pattern.compile("This process stood still for (\\d+) ms")
                    .matcher(frozen.output()).results().mapToLong(found -> Long.parseLong(found.group(1))).max()
                    .orElse(0)).as("the long freeze logged").isGreaterThanOrEqualTo(7_000);

            frozen.restart();
            frozen.awaitServing(WAIT);
            eventually(WAIT, () -> assertThat(rig.upMembers(asking)).hasSize(3));
            fleet.awaitAckedAgain(before, System.nanoTime(), WAIT);
            // A few more reports everywhere, so every agent's acknowledged sequences are settled in the store.
            fleet.awaitAckedAgain(fleet.acked(), System.nanoTime(), WAIT);

            assertThat(rig.damage(fleet.agents(), observer))
                    .as("stored once, never offline, one writer per entity, rollups exact").isEmpty();
        }
    }

    private static String threadDump(NodeJvm node) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(node.process().pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (java.io.IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
