package io.steward.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backup job as both sides check it, and every backup frame through the wire format. */
class BackupContractTest {
    private static final BackupDestination DEST = new BackupDestination("backup.example.com", 2222, "stw", "/b/web-1");
    private static final BackupJobSpec JOB = new BackupJobSpec("www", List.of("/srv/www/", "/etc/nginx"),
            List.of("*.tmp"), DEST, 2048, Duration.ofHours(2));
    private static final HostKey KEY =
            HostKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B comment");
    private static final Instant T = Instant.parse("2026-12-02T08:30:00Z");

    @Test
    void theFingerprintIsTheOneSshKeygenPrints() {
        // ssh-keygen -lf on this key printed SHA256:5ZKyb17tVLq7TuJ319YMzGjJ2+3ou54hWW3TbQna8jE.
        assertThat(KEY.fingerprint()).isEqualTo("SHA256:5ZKyb17tVLq7TuJ319YMzGjJ2+3ou54hWW3TbQna8jE");
        assertThat(KEY.knownHostsLine(DEST)).isEqualTo("[backup.example.com]:2222 " + KEY);
        assertThatThrownBy(() -> HostKey.parse("ssh-ed25519 not*base64")).hasMessageContaining("base64");
        assertThatThrownBy(() -> HostKey.parse("-oProxyCommand=x AAAA")).hasMessageContaining("key type");
    }

    @Test
    void sourcesAreNormalisedAndCheckedAgainstTheAgentsAllowList() {
        assertThat(JOB.sources()).containsExactly("/srv/www", "/etc/nginx");
        assertThat(JOB.sourcesAllowedBy(List.of("/srv", "/etc/nginx"))).isTrue();
        assertThat(JOB.sourcesAllowedBy(List.of("/srv"))).isFalse();
        // A prefix of the name is not a parent directory.
        assertThat(new BackupJobSpec("a", List.of("/srv/www2"), null, DEST, null, null)
                .sourcesAllowedBy(List.of("/srv/www"))).isFalse();
        for (String[] bad : new String[][] {
                {"relative", "not an absolute path"}, {"/srv/../etc", "'.' or '..'"}, {"/", "whole machine"},
                {"/srv\nx", "control character"}}) {
            assertThatThrownBy(() -> new BackupJobSpec("a", List.of(bad[0]), null, DEST, null, null))
                    .as(bad[0]).hasMessageContaining("sources[0]").hasMessageContaining(bad[1]);
        }
        assertThatThrownBy(() -> new BackupJobSpec("a", List.of("/srv", "/srv/www"), null, DEST, null, null))
                .hasMessageContaining("'/srv/www' is inside '/srv'");
    }

    @Test
    void aDestinationIsNeverAnOptionAndItsAllowListEntryMayNameThePort() {
        for (String host : new String[] {"-oProxyCommand=touch", "a b", "host;rm", ""}) {
            assertThatThrownBy(() -> new BackupDestination(host, 22, "u", "/b")).as(host)
                    .hasMessageContaining("destination.host");
        }
        assertThatThrownBy(() -> new BackupDestination("h", 22, "-u", "/b")).hasMessageContaining("destination.user");
        assertThatThrownBy(() -> new BackupDestination("h", 0, "u", "/b")).hasMessageContaining("destination.port");
        assertThatThrownBy(() -> new BackupDestination("h", 22, "u", "/")).hasMessageContaining("destination.path");
        assertThat(DEST.allowedBy(List.of("BACKUP.example.com"))).isTrue();
        assertThat(DEST.allowedBy(List.of("backup.example.com:2222"))).isTrue();
        assertThat(DEST.allowedBy(List.of("backup.example.com:22", "other"))).isFalse();
        assertThat(new BackupDestination("::1", 2222, "u", "/b").allowedBy(List.of("[::1]:2222"))).isTrue();
    }

    @Test
    void snapshotNamesSortByTimeAndNeverRepeat() {
        assertThat(SnapshotName.of(T)).isEqualTo("2026-12-02T083000Z");
        assertThat(SnapshotName.takenAt("2026-12-02T083000Z")).contains(T);
        assertThat(SnapshotName.after(T, "2026-12-02T083000Z")).isEqualTo("2026-12-02T083001Z");
        assertThat(SnapshotName.after(T.plusSeconds(5), "2026-12-02T083000Z")).isEqualTo("2026-12-02T083005Z");
        assertThat(SnapshotName.isValid("../etc")).isFalse();
        assertThat(SnapshotName.isValid("2026-13-02T083000Z")).isFalse();
    }

    @Test
    void everyBackupFrameRoundTrips() throws Exception {
        List<NodeMessage> toAgent = List.of(
                new NodeMessage.BackupRun("run-1", JOB, "2026-12-02T083000Z", KEY, Retention.DEFAULT, "Europe/Berlin"),
                new NodeMessage.FetchHostKey("c-1", DEST),
                new NodeMessage.BrowseSnapshot("c-2", JOB, KEY, "2026-12-02T083000Z", "/srv/www"),
                new NodeMessage.RestoreFiles("r-1", JOB, KEY, "2026-12-02T083000Z", "/srv/www/a.html", "/srv/restore"),
                new NodeMessage.VerifySnapshot("v-1", JOB, KEY, 30),
                new NodeMessage.BackupAck("run-1"));
        for (NodeMessage message : toAgent) {
            assertThat(WireFormat.decodeNodeMessage(WireFormat.encode(message))).isEqualTo(message);
        }
        List<AgentMessage> toNode = List.of(
                new AgentMessage.BackupInfo(true, "ssh-ed25519 AAAA agent", List.of("/srv"), List.of("b:2222"),
                        "3.2.7"),
                new AgentMessage.BackupProgress("run-1", "www", BackupOperation.RUN, "transferring", 42.5, 1 << 20,
                        4096, 30L, 420, 1000),
                new AgentMessage.BackupRunResult("run-1", "www", BackupOutcome.WARNING, null, "2 files vanished",
                        "2026-12-02T083000Z", new RunStats(1000, 10, 1 << 30, 1 << 20, 5000, 24),
                        List.of("/srv/www/tmp/x"), List.of("file has vanished: \"/srv/www/tmp/x\""),
                        List.of("2026-11-01T083000Z"), List.of("2026-12-01T083000Z", "2026-12-02T083000Z"), T,
                        T.plusSeconds(5)),
                new AgentMessage.BackupRunResult("run-2", "www", BackupOutcome.FAILED, BackupFailure.HOST_KEY_CHANGED,
                        "Host key verification failed.", null, null, null, null, null, null, T, T),
                new AgentMessage.HostKeyFetched("c-1", KEY, null, null),
                new AgentMessage.SnapshotTree("c-2", "/srv/www", List.of(new TreeEntry("a.html",
                        TreeEntry.Kind.FILE, 12, T, "rw-r--r--", null)), false, null, null),
                new AgentMessage.RestoreResult("r-1", "www", true, null, null, 1, 12, List.of(), T),
                new AgentMessage.VerifyResult("v-1", "www", false, BackupFailure.MISMATCH, "1 file differs",
                        "2026-12-02T083000Z", 40, 2, List.of("/srv/www/a.html"), 12.5, T));
        for (AgentMessage message : toNode) {
            assertThat(WireFormat.decodeAgentMessage(WireFormat.encode(message))).isEqualTo(message);
        }
        assertThat(WireFormat.encode(toNode.get(3))).contains("\"failure\":\"host-key-changed\"")
                .contains("\"outcome\":\"failed\"");
    }

    @Test
    void aFrameWithABadJobIsRefusedWhenItIsRead() {
        String run = WireFormat.encode(new NodeMessage.BackupRun("run-1", JOB, "2026-12-02T083000Z", KEY,
                Retention.DEFAULT, "UTC")).replace("/srv/www", "/srv/../etc");
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(run))
                .isInstanceOf(WireFormat.MalformedMessageException.class)
                .hasMessageContaining("'.' or '..'");
        String zone = WireFormat.encode(new NodeMessage.BackupRun("run-1", JOB, "2026-12-02T083000Z", KEY,
                Retention.DEFAULT, "UTC")).replace("\"UTC\"", "\"Mars/Olympus\"");
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(zone))
                .isInstanceOf(WireFormat.MalformedMessageException.class)
                .hasMessageContaining("retentionZone: 'Mars/Olympus' is not a time zone");
    }

    @Test
    void schedulesRoundTripWithTheirKind() throws Exception {
        var mapper = WireFormat.mapper();
        for (BackupSchedule schedule : List.of(new BackupSchedule.Cron("30 2 * * *", "Europe/Berlin"),
                new BackupSchedule.EveryHours(6, T))) {
            String json = mapper.writeValueAsString(schedule);
            assertThat(mapper.readValue(json, BackupSchedule.class)).isEqualTo(schedule);
        }
        assertThat(new BackupSchedule.Cron("@daily", "Europe/Berlin").retentionZone().getId())
                .isEqualTo("Europe/Berlin");
        assertThat(new BackupSchedule.EveryHours(6, T).retentionZone().getId()).isEqualTo("Z");
    }
}
