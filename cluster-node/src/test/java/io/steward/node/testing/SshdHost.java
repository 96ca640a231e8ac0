package io.steward.node.testing;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real OpenSSH server on 127.0.0.1 to install an agent on, running in a {@link ThrowawayRoot} so root's password, a
 * test user and everything an installer writes stay in it. Its host key and an authorized client key are made fresh;
 * {@link #hostFingerprint()} is the host key's fingerprint as {@code ssh-keygen -l} prints it. Root logs in with
 * {@link #ROOT_PASSWORD} or {@link #clientKey()}; {@code tester} (no sudo) with {@link #USER_PASSWORD}.
 */
public final class SshdHost implements AutoCloseable {
    public static final String ROOT_PASSWORD = "root pass 4 test";
    public static final String USER_PASSWORD = "tester pass 4 test";
    private static final Duration LISTENING = Duration.ofSeconds(15);

    private final ThrowawayRoot root;
    private final int port;
    private final String hostFingerprint;
    private final String clientKey;

    private SshdHost(ThrowawayRoot root, int port, String hostFingerprint, String clientKey) {
        this.root = root;
        this.port = port;
        this.hostFingerprint = hostFingerprint;
        this.clientKey = clientKey;
    }

    /** Keys, configuration and logs in {@code directory/ssh}, the throwaway root's layers in {@code directory/root}. */
    public static SshdHost start(Path directory) throws Exception {
        Path ssh = Files.createDirectories(directory.resolve("ssh"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("host").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "admin", "-f", ssh.resolve("admin").toString());
        String fingerprint = run("ssh-keygen", "-l", "-f", ssh.resolve("host.pub").toString()).split(" ")[1];
        String clientKey = Files.readString(ssh.resolve("admin"));
        Files.copy(ssh.resolve("admin.pub"), ssh.resolve("authorized_keys"));
        int port = FreePort.find();
        Files.writeString(ssh.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1", "Port " + port, "HostKey " + ssh.resolve("host"),
                "AuthorizedKeysFile " + ssh.resolve("authorized_keys"), "PidFile " + ssh.resolve("sshd.pid"),
                "PermitRootLogin yes", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
                "UsePAM no", "StrictModes no", "LogLevel VERBOSE", "SetEnv SHLVL=1", ""));
        ThrowawayRoot root = ThrowawayRoot.create(Files.createDirectories(directory.resolve("root")));
        try {
            // Inside the throwaway root only: root's password, a user without sudo, and sshd.
            ThrowawayRoot.Result ready = root.run("set -e; mkdir -p /run/sshd"
                    + "; echo 'root:" + ROOT_PASSWORD + "' | chpasswd"
                    + "; useradd -M -d /tmp -s /bin/sh tester && echo 'tester:" + USER_PASSWORD + "' | chpasswd"
                    + "; /usr/sbin/sshd -D -e -f " + ssh.resolve("sshd_config") + " > " + ssh.resolve("sshd.log")
                    + " 2>&1 < /dev/null &", 30);
            assertThat(ready.exitCode()).as(ready.output()).isZero();
            Path log = ssh.resolve("sshd.log");
            await(LISTENING, "sshd to listen", () -> {
                try {
                    return Files.readString(log).contains("Server listening") ? true : null;
                } catch (IOException notYet) {
                    return null;
                }
            });
        } catch (Exception | AssertionError failed) {
            root.close();
            throw failed;
        }
        return new SshdHost(root, port, fingerprint, clientKey);
    }

    public int port() {
        return port;
    }

    /** The host key's {@code SHA256:…} fingerprint, as {@code ssh-keygen -l} prints it. */
    public String hostFingerprint() {
        return hostFingerprint;
    }

    /** An unencrypted OpenSSH private key root authorizes. */
    public String clientKey() {
        return clientKey;
    }

    /** Where sshd and whatever it starts run: to look at or undo what an install did. */
    public ThrowawayRoot root() {
        return root;
    }

    /** Ends sshd and every process an install left running inside, then the namespace. */
    @Override
    public void close() throws IOException, InterruptedException {
        root.close();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
