package io.steward.agent.backup.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.backup.BackupsConfig;
import io.steward.agent.backup.Programs;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.HostKey;
import io.steward.core.protocol.NodeMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each refusal names what was outside which list. */
class ChecksTest {
    private static final Checks CHECKS = new Checks(new BackupsConfig(List.of("/srv", "/var/www"),
            List.of("backup.example.com", "10.0.0.9:2222"), Programs.DEBIAN));
    private static final BackupDestination DESTINATION = new BackupDestination("backup.example.com", 22, "stw", "/b");
    private static final HostKey KEY =
            HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
    private static final String SNAPSHOT = "2026-12-02T083000Z";

    private static BackupJobSpec job(BackupDestination destination, String... sources) {
        return new BackupJobSpec("www", List.of(sources), List.of(), destination, null, null);
    }

    @Test
    void aJobMustReadOnlyAllowedSourcesAndSendOnlyToAllowedDestinations() {
        assertThat(CHECKS.job(job(DESTINATION, "/srv/www", "/var/www/html"))).isEmpty();
        assertThat(CHECKS.job(job(DESTINATION, "/srv/www", "/etc"))).contains(
                "source /etc is outside this agent's allowSources [/srv, /var/www]");
        assertThat(CHECKS.job(job(new BackupDestination("evil.example.com", 22, "stw", "/b"), "/srv")))
                .contains("destination evil.example.com is not in this agent's allowDestinations "
                        + "[backup.example.com, 10.0.0.9:2222]");
        assertThat(CHECKS.job(job(new BackupDestination("10.0.0.9", 2222, "stw", "/b"), "/srv"))).isEmpty();
        assertThat(CHECKS.job(job(new BackupDestination("10.0.0.9", 22, "stw", "/b"), "/srv")))
                .contains("destination 10.0.0.9 is not in this agent's allowDestinations "
                        + "[backup.example.com, 10.0.0.9:2222]");
    }

    @Test
    void aRestoreTakesOnlyTheJobsPathsAndWritesOnlyWithinAllowSources() {
        BackupJobSpec www = job(DESTINATION, "/srv/www");
        assertThat(CHECKS.restore(new NodeMessage.RestoreFiles("r-1", www, KEY, SNAPSHOT, "/srv/www/a", null)))
                .isEmpty();
        assertThat(CHECKS.restore(new NodeMessage.RestoreFiles("r-1", www, KEY, SNAPSHOT, "/srv/www/a",
                "/var/www/restore"))).isEmpty();
        assertThat(CHECKS.restore(new NodeMessage.RestoreFiles("r-1", www, KEY, SNAPSHOT, "/etc/shadow", null)))
                .contains("path /etc/shadow is not within the job's sources [/srv/www]");
        assertThat(CHECKS.restore(new NodeMessage.RestoreFiles("r-1", www, KEY, SNAPSHOT, "/srv/www/a", "/etc")))
                .contains("target /etc is outside this agent's allowSources [/srv, /var/www]");
        assertThat(CHECKS.restore(new NodeMessage.RestoreFiles("r-1", job(DESTINATION, "/root"), KEY, SNAPSHOT,
                "/root/x", null))).contains("source /root is outside this agent's allowSources [/srv, /var/www]");
    }

    @Test
    void browsingWalksDownToTheSourcesAndNoWhereElse() {
        BackupJobSpec www = job(DESTINATION, "/srv/www");
        for (String path : new String[] {"/", "/srv", "/srv/www", "/srv/www/img"}) {
            assertThat(CHECKS.browse(new NodeMessage.BrowseSnapshot("b-1", www, KEY, SNAPSHOT, path))).as(path)
                    .isEmpty();
        }
        assertThat(CHECKS.browse(new NodeMessage.BrowseSnapshot("b-1", www, KEY, SNAPSHOT, "/srv/www2")))
                .contains("path /srv/www2 is neither within the job's sources [/srv/www] nor above them");
        assertThat(CHECKS.browse(new NodeMessage.BrowseSnapshot("b-1", www, KEY, SNAPSHOT, "/etc"))).isPresent();
    }
}
