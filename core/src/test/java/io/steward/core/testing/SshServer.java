package io.steward.core.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.steward.core.backup.HostKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real OpenSSH server for backup tests: {@code /usr/sbin/sshd -D -e} on a free loopback port, with its own freshly
 * generated ed25519 host key and its own {@code sshd_config}, all in a directory of the test's. It lets the current
 * user log in with the keys given to {@link #authorize}, each restricted to a directory by rrsync exactly as a
 * production destination does ({@code command="/usr/bin/rrsync DIR",restrict KEY}).
 *
 * <pre>{@code
 * try (SshServer sshd = SshServer.start(temporaryDirectory)) {
 *     sshd.authorize(agentPublicKey, destinationDirectory);
 *     ... rsync -e "ssh -p " + sshd.port() ... sshd.user() + "@" + sshd.host() + ":snapshots/" ...
 *     sshd.rotateHostKey();   // the pinned key no longer matches
 *     sshd.stop();            // connections are refused
 * }
 * }</pre>
 *
 * <p>Needs {@code openssh-server} and {@code rsync} (for rrsync) installed; creates {@code /run/sshd} (sshd's
 * privilege separation directory) when missing. Every wait polls with a deadline.
 */
public final class SshServer implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    public static final Path RRSYNC = Path.of("/usr/bin/rrsync");
    private static final Path PRIVILEGE_SEPARATION = Path.of("/run/sshd");
    private static final Duration START_LIMIT = Duration.ofSeconds(15);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    /** A directory rrsync may be pinned to without quoting it in authorized_keys (whose command runs in a shell). */
    private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9._/+@%=-]*");
    private static final String HOST = "127.0.0.1";

    private final Path directory;
    private final String user;
    private final Path authorizedKeys;
    private final Path log;
    private Path hostKeyFile;
    private int hostKeys;
    private int port;
    private Process process;

    private SshServer(Path directory) {
        this.directory = directory;
        this.user = System.getProperty("user.name");
        this.authorizedKeys = directory.resolve("authorized_keys");
        this.log = directory.resolve("sshd.log");
    }

    /** Starts a server whose files live in {@code directory} (created if needed; the test's temporary directory). */
    public static SshServer start(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Files.createDirectories(directory);
        SshServer server = new SshServer(directory.toAbsolutePath());
        Files.writeString(server.authorizedKeys, "", UTF_8);
        Files.createDirectories(PRIVILEGE_SEPARATION);
        server.newHostKey();
        server.startOnFreePort();
        return server;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The account clients log in as: the user running the tests. */
    public String user() {
        return user;
    }

    /** The public host key clients must pin (it changes with {@link #rotateHostKey()}). */
    public HostKey hostKey() {
        try {
            return HostKey.parse(Files.readString(Path.of(hostKeyFile + ".pub"), UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets {@code publicKey} ({@code ssh-ed25519 AAAA… comment}) log in, confined by rrsync to {@code rrsyncRoot}
     * (created if missing). Takes effect for the next connection: sshd reads the file at each login.
     */
    public void authorize(String publicKey, Path rrsyncRoot) throws IOException {
        requireNonNull(publicKey, "publicKey is null");
        String root = rrsyncRoot.toAbsolutePath().normalize().toString();
        if (!PLAIN_PATH.matcher(root).matches()) {
            throw new IllegalArgumentException("the rrsync directory must be a plain path (no spaces or quotes): "
                    + root);
        }
        String line = publicKey.strip();
        if (line.contains("\n") || !line.startsWith("ssh-")) {
            throw new IllegalArgumentException("not one OpenSSH public key line: " + publicKey);
        }
        Files.createDirectories(rrsyncRoot);
        Files.writeString(authorizedKeys, authorizedKeysLine(line, root) + "\n", UTF_8,
                StandardOpenOption.APPEND);
    }

    /** Forgets every authorized key: the next login is refused ("Permission denied (publickey)"). */
    public void revokeAll() throws IOException {
        Files.writeString(authorizedKeys, "", UTF_8);
    }

    /** The line that confines a key to one directory, as the README tells people to install it. */
    public static String authorizedKeysLine(String publicKey, String rrsyncRoot) {
        return "command=\"" + RRSYNC + " " + rrsyncRoot + "\",restrict " + publicKey;
    }

    /** Replaces the host key with a freshly generated one and restarts on the same port. */
    public void rotateHostKey() throws IOException {
        stop();
        newHostKey();
        startOn(port);
    }

    /** Stops listening (new connections are refused); sessions in progress are ended too. */
    public void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        process = null;
        List<ProcessHandle> sessions = running.descendants().toList();
        running.destroy();
        sessions.forEach(ProcessHandle::destroy);
        try {
            if (!running.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
                running.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    /** Starts again on the same port, with the same host key. */
    public void restart() throws IOException {
        stop();
        startOn(port);
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** The listening sshd's process id (its sessions are its children: their CPU time is reaped into it). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("sshd is not running");
        }
        return process.pid();
    }

    /** Everything sshd logged so far (LogLevel VERBOSE: logins, refused keys, host key in use). */
    public String log() {
        try {
            return Files.readString(log, UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void newHostKey() throws IOException {
        hostKeys++;
        hostKeyFile = directory.resolve("host_key_" + hostKeys);
        run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "steward-test-sshd-" + hostKeys,
                "-f", hostKeyFile.toString()));
    }

    private void startOnFreePort() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                startOn(FreePort.find());
                return;
            } catch (PortTakenException e) {
                last = e; // another process took the port between our probe and sshd's bind: pick another
            }
        }
        throw last;
    }

    private void startOn(int chosenPort) throws IOException {
        port = chosenPort;
        Path config = directory.resolve("sshd_config");
        Files.writeString(config, config(), UTF_8);
        long logFrom = Files.exists(log) ? Files.size(log) : 0;
        Process started = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String listening = "Server listening on " + HOST + " port " + port + ".";
        String output;
        try {
            output = Eventually.await(START_LIMIT, "sshd to listen on port " + port, () -> {
                String logged = logSince(logFrom);
                return logged.contains(listening) || !started.isAlive() ? logged : null;
            });
        } catch (AssertionError e) {
            started.destroyForcibly();
            throw new IOException("sshd did not listen within " + START_LIMIT.toSeconds() + " s: "
                    + logSince(logFrom), e);
        }
        if (output.contains(listening)) {
            process = started;
            return;
        }
        if (output.contains("Address already in use")) {
            throw new PortTakenException(output);
        }
        throw new IOException("sshd did not start: " + output.strip());
    }

    private String logSince(long offset) {
        String all = log();
        return all.substring((int) Math.min(offset, all.length()));
    }

    private String config() {
        boolean root = "root".equals(user);
        return String.join("\n",
                "ListenAddress " + HOST,
                "Port " + port,
                "HostKey " + hostKeyFile,
                "PidFile " + directory.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "AllowUsers " + user,
                "PermitRootLogin " + (root ? "prohibit-password" : "no"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                // The test's directories belong to whoever runs the tests; sshd's ownership checks are for homes.
                "StrictModes no",
                "LogLevel VERBOSE",
                // bash reads ~/.bashrc for commands run over ssh unless it believes it is nested (SHLVL >= 1). A
                // developer's .bashrc (pyenv init here: 0.5 s of CPU) would then run at every connection; a real
                // destination account runs rrsync without it.
                "SetEnv SHLVL=1",
                "") + "\n";
    }

    private static void run(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        try {
            if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final class PortTakenException extends IOException {
        PortTakenException(String output) {
            super("the port was taken: " + output.strip());
        }
    }
}
