package io.steward.node.install;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionCreator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jspecify.annotations.Nullable;

/**
 * One SSH connection of the node to a server being installed (Apache MINA SSHD's client): the host key checked
 * against the one an admin confirmed before any credential is sent, then commands run with their output read line by
 * line. One client per connection, stopped with it: installs are rare and must not share state.
 */
final class SshConnection implements AutoCloseable {
    /** A host key as OpenSSH prints it: {@code SHA256:…} and {@code ssh-ed25519}. */
    public record HostKeySeen(String fingerprint, String keyType) {}

    /** A finished command. */
    record Exit(int status) {
        boolean ok() {
            return status == 0;
        }
    }

    private final SshClient client;
    private final ClientSession session;
    private final HostKeySeen presented;

    private SshConnection(SshClient client, ClientSession session, HostKeySeen presented) {
        this.client = client;
        this.session = session;
        this.presented = presented;
    }

    /** The host key the server presented (the confirmed one: another would have ended the connection). */
    HostKeySeen presented() {
        return presented;
    }

    /** Connects only as far as the key exchange, to show an admin the host key. */
    static HostKeySeen probe(String host, int port, Duration timeout) throws InstallFailure {
        AtomicReference<HostKeySeen> seen = new AtomicReference<>();
        SshClient client = client((session, address, key) -> {
            seen.set(describe(key));
            return true;
        });
        try (ClientSession session = connect(client, "probe", host, port, timeout)) {
            session.waitFor(EnumSet.of(org.apache.sshd.client.session.ClientSession.ClientSessionEvent.WAIT_AUTH,
                    org.apache.sshd.client.session.ClientSession.ClientSessionEvent.CLOSED), timeout);
            if (seen.get() == null) {
                throw new InstallFailure(InstallStep.HOST_KEY, host + ":" + port + " showed no host key within "
                        + timeout.toSeconds() + " s");
            }
            return seen.get();
        } catch (IOException e) {
            throw new InstallFailure(InstallStep.CONNECT, "cannot connect to " + host + ":" + port + ": "
                    + reason(e), e);
        } finally {
            client.stop();
        }
    }

    /**
     * Connects, refuses a host key other than {@code fingerprint} (nothing is sent to such a host), and logs in with
     * the credential.
     */
    /** The most of a short command's output kept ({@link #output}). */
    private static final int MAX_OUTPUT = 16 * 1024;

    static SshConnection open(SshTarget target, SshCredential credential, String fingerprint, Duration timeout)
            throws InstallFailure {
        AtomicReference<HostKeySeen> seen = new AtomicReference<>();
        SshClient client = client((session, address, key) -> {
            HostKeySeen presented = describe(key);
            seen.set(presented);
            return presented.fingerprint().equals(fingerprint);
        });
        ClientSession session = null;
        boolean handedOver = false;
        try {
            try {
                session = connect(client, target.user(), target.host(), target.port(), timeout);
            } catch (IOException e) {
                refusedKey(seen.get(), fingerprint, e);
                throw new InstallFailure(InstallStep.CONNECT, "cannot connect to " + target.host() + ":"
                        + target.port() + ": " + reason(e), e);
            }
            if (credential instanceof SshCredential.Password password) {
                session.addPasswordIdentity(password.password());
            } else {
                SshCredential.PrivateKey key = (SshCredential.PrivateKey) credential;
                for (KeyPair pair : keys(session, key)) {
                    session.addPublicKeyIdentity(pair);
                }
            }
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                refusedKey(seen.get(), fingerprint, e);
                throw new InstallFailure(InstallStep.AUTHENTICATE, target + " refused the " + credential + ": "
                        + reason(e), e);
            }
            SshConnection connection = new SshConnection(client, session, seen.get());
            handedOver = true;
            return connection;
        } finally {
            if (!handedOver) {
                // Every way out but success, a failed connect too: each client has its own I/O threads.
                if (session != null) {
                    session.close(true);
                }
                client.stop();
            }
        }
    }

    /** The failure when the host presented another key than the confirmed one (the connection ended at once). */
    private static void refusedKey(@Nullable HostKeySeen presented, String fingerprint, Exception cause)
            throws InstallFailure {
        if (presented != null && !presented.fingerprint().equals(fingerprint)) {
            throw new InstallFailure(InstallStep.HOST_KEY, "the host presented " + presented.fingerprint() + " ("
                    + presented.keyType() + "), not the confirmed " + fingerprint
                    + ": nothing was sent; check the host key again", cause);
        }
    }

    /**
     * Runs {@code command} (a shell command line) with {@code stdin}, handing each line of its output (stdout and
     * stderr) to {@code lines}; waits at most {@code timeout}.
     */
    Exit run(String command, @Nullable InputStream stdin, Consumer<String> lines, Duration timeout)
            throws IOException {
        try (ChannelExec channel = session.createExecChannel(command);
                LineSplitter out = new LineSplitter(lines)) {
            channel.setIn(stdin == null ? new ByteArrayInputStream(new byte[0]) : stdin);
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(timeout);
            var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new IOException("no answer within " + timeout.toSeconds() + " s");
            }
            Integer status = channel.getExitStatus();
            return new Exit(status == null ? -1 : status);
        }
    }

    /** Runs {@code command} and returns its whole output (for short answers such as {@code uname -m}). */
    String output(String command, Duration timeout) throws IOException {
        StringBuilder output = new StringBuilder();
        Exit exit = run(command, null, line -> {
            if (output.length() < MAX_OUTPUT) { // a short answer is expected: a host that floods is cut off
                output.append(line).append('\n');
            }
        }, timeout);
        if (!exit.ok()) {
            throw new IOException("'" + command + "' exited " + exit.status() + ": " + output.toString().strip());
        }
        return output.toString().strip();
    }

    @Override
    public void close() {
        try {
            session.close(true);
        } finally {
            client.stop();
        }
    }

    private static SshClient client(org.apache.sshd.client.keyverifier.ServerKeyVerifier verifier) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        // No agent forwarding, no ~/.ssh of the node's account (neither its keys nor its config's Host entries, which
        // could redirect or proxy the connection): only what the admin gave.
        client.setKeyIdentityProvider(session -> java.util.List.of());
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.start();
        return client;
    }

    private static ClientSession connect(ClientSessionCreator client, String user, String host, int port,
            Duration timeout) throws IOException {
        return client.connect(user, host, port).verify(timeout).getSession();
    }

    private static Iterable<KeyPair> keys(SessionContext session, SshCredential.PrivateKey key) throws InstallFailure {
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(session, NamedResource.ofName("private key"),
                    new ByteArrayInputStream(key.key().getBytes(StandardCharsets.UTF_8)),
                    key.passphrase() == null ? null : FilePasswordProvider.of(key.passphrase()));
            if (pairs == null || !pairs.iterator().hasNext()) {
                throw new InstallFailure(InstallStep.AUTHENTICATE, "the private key holds no key");
            }
            return pairs;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InstallFailure(InstallStep.AUTHENTICATE, "cannot read the private key"
                    + (key.passphrase() == null ? " (a passphrase-protected key needs its passphrase)" : "") + ": "
                    + reason(e), e);
        }
    }

    static HostKeySeen describe(PublicKey key) {
        return new HostKeySeen(KeyUtils.getFingerPrint(key), KeyUtils.getKeyType(key));
    }

    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    /** Bytes to lines (UTF-8), each handed on as it ends; a very long line is cut every 4 KiB. */
    private static final class LineSplitter extends OutputStream {
        private static final int MAX_LINE = 4096;
        private final Consumer<String> lines;
        private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n' || current.size() >= MAX_LINE) {
                flushLine();
                if (b == '\n') {
                    return;
                }
            }
            if (b != '\r') {
                current.write(b);
            }
        }

        private void flushLine() {
            lines.accept(current.toString(StandardCharsets.UTF_8));
            current.reset();
        }

        @Override
        public synchronized void close() {
            if (current.size() > 0) {
                flushLine();
            }
        }
    }
}
