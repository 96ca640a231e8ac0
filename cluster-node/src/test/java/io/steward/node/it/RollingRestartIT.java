package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.agent.Agent;
import io.steward.core.testing.FreePort;
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
 * A rolling upgrade: the three nodes stopped with SIGTERM (what systemd sends) and started again one at a time while
 * agents report. Nothing acknowledged is lost or stored twice, no server is said to have gone offline, and no alert
 * reaches the mail channel (the built-in "server offline" rule would send one).
 */
class RollingRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PER_NODE = 10;

    @TempDir
    Path work;

    @Test
    void restartingEveryNodeInTurnLosesNothingAndAlertsNobody() throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (ClusterRig rig = ClusterRig.start("rolling-restart", work, 3);
                SimulatedFleet fleet = SimulatedFleet.start(rig, PER_NODE, Duration.ofSeconds(5), work)) {
            rig.admin(0).addMailChannel(smtpPort);
            fleet.awaitReporting(3 * PER_NODE, WAIT);

            for (int i = 0; i < 3; i++) {
                NodeJvm node = rig.node(i);
                int observer = (i + 1) % 3;
                Map<Agent, Long> before = fleet.acked();
                node.signal("TERM");
                assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as(node.name() + " stopped").isTrue();
                assertThat(node.process().exitValue()).as(node.name() + " exit code").isZero();
                node.restart();
                node.awaitServing(WAIT);
                eventually(WAIT, () -> assertThat(rig.upMembers(observer)).as("three members up again").hasSize(3));
                fleet.awaitAckedAgain(before, System.nanoTime(), WAIT);
            }
            // A few more reports everywhere, then what the restarts left behind.
            fleet.awaitAckedAgain(fleet.acked(), System.nanoTime(), WAIT);
            assertThat(rig.damage(fleet.agents(), rig.admin(0)))
                    .as("stored once, never offline, one writer per entity, rollups exact").isEmpty();
            assertThat(smtp.getReceivedMessages()).as("no alert from the restarts").isEmpty();
        } finally {
            smtp.stop();
        }
    }
}
