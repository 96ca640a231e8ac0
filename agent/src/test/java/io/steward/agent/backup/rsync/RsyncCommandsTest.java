package io.steward.agent.backup.rsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.backup.BackupDestination;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact command lines: what rsync, ssh and rrsync each parse must come out as meant. */
class RsyncCommandsTest {
    private static final Path RSYNC = Path.of("/usr/bin/rsync");
    private static final RemoteShell SHELL = new RemoteShell(Path.of("/usr/bin/ssh"),
            Path.of("/var/lib/steward-agent/backups/id_ed25519"), Path.of("/var/lib/steward-agent/backups/kh/r-1"),
            2222);
    private static final String RSH = "/usr/bin/ssh -F /dev/null -i /var/lib/steward-agent/backups/id_ed25519"
            + " -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=/var/lib/steward-agent/backups/kh/r-1"
            + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o UpdateHostKeys=no"
            + " -o ConnectTimeout=20 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -p 2222";
    private static final RsyncCommands COMMANDS = new RsyncCommands(RSYNC, SHELL,
            new BackupDestination("backup.example.com", 2222, "stw", "/b/web-1"));

    private static List<String> argv(String... parts) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/rsync", "-e", RSH));
        argv.addAll(List.of(parts));
        return argv;
    }

    @Test
    void theRemoteShellIsOneStringInRsyncsOwnQuoting() {
        assertThat(SHELL.command()).isEqualTo(RSH);
        assertThat(RemoteShell.rsyncQuoted("plain")).isEqualTo("plain");
        assertThat(RemoteShell.rsyncQuoted("")).isEqualTo("''");
        assertThat(RemoteShell.rsyncQuoted("it's")).isEqualTo("'it''s'");
        assertThat(RemoteShell.rsyncQuoted("a \"b\"")).isEqualTo("'a \"b\"'");
        assertThat(RemoteShell.rsyncQuoted("back\\slash")).isEqualTo("back\\slash");
        // ssh reads UserKnownHostsFile as a list of files: a path with a space is quoted for ssh, then for rsync.
        RemoteShell spaced = new RemoteShell(Path.of("/usr/bin/ssh"), Path.of("/st ate/it's/id"),
                Path.of("/st ate/kh"), 22);
        assertThat(spaced.command()).contains(" -i '/st ate/it''s/id' ")
                .contains(" -o 'UserKnownHostsFile=\"/st ate/kh\"' ");
        assertThatThrownBy(() -> new RemoteShell(Path.of("/usr/bin/ssh"), Path.of("id"), Path.of("/kh"), 22))
                .hasMessageContaining("absolute");
    }

    @Test
    void aRunCopiesEachSourceWithItsFullPathIntoANewSnapshotHardLinkedToItsBases() {
        assertThat(COMMANDS.run(List.of("/srv/www", "/etc/nginx"), List.of("*.tmp", "/srv/www/cache/"), 2048,
                List.of("2026-12-02T120000Z", "2026-12-01T120000Z"), "2026-12-02T130000Z")).isEqualTo(argv(
                "-aHAX", "-M--fake-super", "--numeric-ids", "--timeout=600",
                "--info=progress2", "--stats", "--no-h", "--outbuf=L", "--partial", "--mkpath", "-R",
                "--bwlimit=2048", "--exclude=*.tmp", "--exclude=/srv/www/cache/",
                "--link-dest=/snapshots/2026-12-02T120000Z", "--link-dest=/snapshots/2026-12-01T120000Z",
                "/srv/www", "/etc/nginx", "stw@backup.example.com:snapshots/2026-12-02T130000Z/"));
        assertThat(COMMANDS.run(List.of("/srv"), List.of(), null, List.of(), "2026-12-02T130000Z"))
                .doesNotContain("--bwlimit=2048").noneMatch(arg -> arg.startsWith("--link-dest"));
    }

    @Test
    void theStateIsOneListingAndMarkersAndPruningAreProtectedByFilters() {
        assertThat(COMMANDS.listState()).isEqualTo(argv("--list-only", "-r", "--no-h", "--timeout=600",
                "-f", "+ /snapshots/", "-f", "+ /snapshots/*/", "-f", "- /snapshots/*/*",
                "-f", "+ /.steward/", "-f", "+ /.steward/complete/", "-f", "+ /.steward/complete/*",
                "-f", "- /.steward/**", "-f", "- /*", "stw@backup.example.com:"));
        assertThat(COMMANDS.mark(Path.of("/state/backups/stage/r-1"), "2026-12-02T130000Z",
                List.of("2026-11-01T130000Z"))).isEqualTo(argv("-r", "--delete-after", "--mkpath", "--chmod=F644",
                "--timeout=600", "-f", "+ /2026-12-02T130000Z", "-f", "+ /2026-11-01T130000Z", "-f", "- /*",
                "/state/backups/stage/r-1/", "stw@backup.example.com:.steward/complete/"));
        assertThat(COMMANDS.deleteSnapshots(Path.of("/state/backups/empty"), List.of("2026-11-01T130000Z",
                "2026-12-02T125000Z"))).isEqualTo(argv("-r", "--delete", "--timeout=600",
                "-f", "+ /2026-11-01T130000Z/", "-f", "+ /2026-12-02T125000Z/", "-f", "- /*",
                "/state/backups/empty/", "stw@backup.example.com:snapshots/"));
    }

    @Test
    void pathsPeopleChooseAreGlobEscapedOrPassedInAFileList() {
        assertThat(RsyncCommands.globEscaped("/srv/a[1]/*.txt?")).isEqualTo("/srv/a[[]1]/[*].txt[?]");
        assertThat(COMMANDS.browse("2026-12-02T130000Z", "/srv/we ird [1]")).isEqualTo(argv("--list-only", "-l",
                "--no-h", "-M--fake-super", "--timeout=600",
                "stw@backup.example.com:snapshots/2026-12-02T130000Z/srv/we ird [[]1]/"));
        assertThat(COMMANDS.browse("2026-12-02T130000Z", "/")).last()
                .isEqualTo("stw@backup.example.com:snapshots/2026-12-02T130000Z/");
        assertThat(COMMANDS.restore("2026-12-02T130000Z", Path.of("/state/list0"), Path.of("/"))).isEqualTo(argv(
                "-aHAX", "-M--fake-super", "--numeric-ids", "--timeout=600",
                "--info=progress2", "--stats", "--no-h", "--outbuf=L", "-r", "--mkpath", "--from0",
                "--files-from=/state/list0", "stw@backup.example.com:snapshots/2026-12-02T130000Z/", "/"));
        assertThat(COMMANDS.restore("2026-12-02T130000Z", Path.of("/state/list0"), Path.of("/srv/restore")))
                .last().isEqualTo("/srv/restore/");
        assertThat(COMMANDS.fetch("2026-12-02T130000Z", Path.of("/state/sample0"), Path.of("/state/verify/v-1")))
                .isEqualTo(argv("-t", "-M--fake-super", "--numeric-ids", "--timeout=600", "--info=progress2",
                        "--stats", "--no-h", "--outbuf=L", "--from0", "--files-from=/state/sample0",
                        "stw@backup.example.com:snapshots/2026-12-02T130000Z/", "/state/verify/v-1/"));
    }

    @Test
    void anIpv6HostIsBracketedAndLocalPathsMustBeAbsolute() {
        RsyncCommands v6 = new RsyncCommands(RSYNC, SHELL, new BackupDestination("fd00::9", 22, "stw", "/b"));
        assertThat(v6.listState()).last().isEqualTo("stw@[fd00::9]:");
        assertThatThrownBy(() -> COMMANDS.run(List.of("srv"), List.of(), null, List.of(), "2026-12-02T130000Z"))
                .hasMessageContaining("must be absolute");
        // A ':' after a '/' is a local path to rsync, so absolute sources may hold one.
        assertThat(COMMANDS.run(List.of("/srv/a:b"), List.of(), null, List.of(), "2026-12-02T130000Z"))
                .contains("/srv/a:b");
    }
}
