package io.steward.core.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.SshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared sshd fixture does what backup tests rely on: a host key that ssh-keyscan sees and that changes when
 * rotated, logins confined by rrsync to one directory, refusal when stopped, the same port after a restart.
 */
class SshServerFixtureTest {
    @TempDir
    Path directory;

    @Test
    void servesRrsyncConfinedLoginsAndRotatesItsHostKey() throws Exception {
        Path clientKey = directory.resolve("client/id_ed25519");
        Files.createDirectories(clientKey.getParent());
        run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fixture-test", "-f",
                clientKey.toString()));
        Path destination = directory.resolve("destination");
        Files.createDirectories(destination.resolve("inside"));
        try (SshServer sshd = SshServer.start(directory.resolve("sshd"))) {
            sshd.authorize(Files.readString(Path.of(clientKey + ".pub"), UTF_8), destination);
            HostKey first = sshd.hostKey();
            assertThat(keyscan(sshd)).contains(first.toString());

            Path knownHosts = directory.resolve("client/known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " " + first + "\n", UTF_8);
            Result listing = rsyncList(sshd, clientKey, knownHosts);
            assertThat(listing.exitCode()).as(listing.output()).isZero();
            // The listing is of the rrsync root, not of the user's home.
            assertThat(listing.output()).contains(" inside").doesNotContain(".ssh");
            assertThat(sshd.log()).contains("Accepted publickey for " + sshd.user());

            int port = sshd.port();
            sshd.rotateHostKey();
            assertThat(sshd.port()).isEqualTo(port);
            assertThat(sshd.hostKey()).isNotEqualTo(first);
            assertThat(rsyncList(sshd, clientKey, knownHosts).output())
                    .contains("Host key verification failed.");

            sshd.stop();
            assertThat(sshd.running()).isFalse();
            assertThat(rsyncList(sshd, clientKey, knownHosts).output()).contains("Connection refused");
            sshd.restart();
            assertThat(keyscan(sshd)).contains(sshd.hostKey().toString());
        }
    }

    private record Result(int exitCode, String output) {}

    private static String keyscan(SshServer sshd) throws Exception {
        return run(List.of("/usr/bin/ssh-keyscan", "-T", "10", "-p", Integer.toString(sshd.port()), sshd.host()))
                .output();
    }

    private static Result rsyncList(SshServer sshd, Path key, Path knownHosts) throws Exception {
        String rsh = "/usr/bin/ssh -F /dev/null -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes"
                + " -o UserKnownHostsFile=" + knownHosts + " -o GlobalKnownHostsFile=/dev/null"
                + " -o StrictHostKeyChecking=yes -p " + sshd.port();
        return run(List.of("/usr/bin/rsync", "-e", rsh, "--list-only", sshd.user() + "@" + sshd.host() + ":"));
    }

    private static Result run(List<String> argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(argv);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
