package io.steward.node.install;

import static java.util.Objects.requireNonNull;

import io.steward.node.install.RemoteCommands.HostFacts;
import io.steward.node.install.RemoteCommands.Privilege;
import io.steward.node.install.SshConnection.HostKeySeen;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SSH install, step by step ({@link InstallStep}): connect with the confirmed host key only, log in, inspect
 * the host, make sure it can become root, upload install.sh and the bundle for its architecture (checked by SHA-256
 * on the server), run install.sh with a single-use enrollment token, then wait until the new agent reports. The
 * upload directory is removed whatever happens; the token is revoked when the install fails.
 */
public final class SshInstaller {
    private static final Logger log = LoggerFactory.getLogger(SshInstaller.class);

    /** How long each kind of step may take. */
    record Timeouts(Duration connect, Duration command, Duration upload, Duration install, Duration report) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(2));
    }

    /** What the node side does for an install: pin the key, find the new server, give up the token. */
    public interface Hooks {
        void trust(HostKeySeen key) throws Exception;


        /** The id of a server with this hostname whose agent reported after {@code since}, if one did. */
        Optional<String> reportingServer(String hostname, Instant since) throws Exception;

        void abandon() throws Exception;
    }

    /**
     * @param script install.sh
     * @param bundles the bundle file for an architecture ({@code x86_64}, {@code arm64}), if the node has it
     * @param arguments install.sh's arguments besides {@code --bundle}: {@code --url}, {@code --token}, pins, hubs
     */
    public record Plan(SshTarget target, SshCredential credential, String fingerprint, Path script,
            Function<String, Optional<Path>> bundles, List<String> arguments) {
        public Plan {
            requireNonNull(target, "target is null");
            requireNonNull(credential, "credential is null");
            requireNonNull(fingerprint, "fingerprint is null");
            arguments = List.copyOf(arguments);
        }
    }

    private final Clock clock;
    private final Timeouts timeouts;

    SshInstaller(Clock clock, Timeouts timeouts) {
        this.clock = requireNonNull(clock, "clock is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
    }

    void run(Plan plan, Hooks hooks, InstallJob job) {
        try {
            job.step(InstallStep.CONNECT);
            job.log("connecting to " + plan.target().host() + ":" + plan.target().port() + " as "
                    + plan.target().user() + " with a " + plan.credential() + "; host key must be "
                    + plan.fingerprint());
            try (SshConnection connection = SshConnection.open(plan.target(), plan.credential(), plan.fingerprint(),
                    timeouts.connect())) {
                job.step(InstallStep.HOST_KEY);
                job.log("the host key is the confirmed " + plan.fingerprint() + ": pinned");
                hooks.trust(connection.presented());
                job.step(InstallStep.AUTHENTICATE);
                job.log("logged in as " + plan.target().user());
                install(connection, plan, hooks, job);
            }
        } catch (InstallFailure failure) {
            fail(job, hooks, failure.step(), failure.getMessage());
        } catch (Exception | Error e) { // an Error too: the job must not stay "running" with its token alive
            log.warn("SSH install {} to {} failed unexpectedly", job.id(), plan.target(), e);
            fail(job, hooks, job.view(Integer.MAX_VALUE).step(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void install(SshConnection connection, Plan plan, Hooks hooks, InstallJob job) throws Exception {
        job.step(InstallStep.INSPECT);
        HostFacts facts;
        try {
            facts = HostFacts.parse(connection.output(RemoteCommands.INSPECT, timeouts.command()));
        } catch (IOException | IllegalArgumentException e) {
            throw new InstallFailure(InstallStep.INSPECT, "cannot inspect the host: " + e.getMessage(), e);
        }
        job.log(facts.kernel() + " " + facts.machine() + ", host name " + facts.hostname() + ", uid " + facts.uid());
        String architecture = facts.bundleArchitecture().orElseThrow(() -> new InstallFailure(InstallStep.INSPECT,
                "no agent bundle for " + facts.kernel() + " " + facts.machine() + " (Linux x86_64 and arm64)"));
        Path bundle = plan.bundles().apply(architecture).orElseThrow(() -> new InstallFailure(InstallStep.INSPECT,
                "this node serves no " + RemoteCommands.bundleName(architecture) + " (steward.downloads.dir)"));

        job.step(InstallStep.PRIVILEGES);
        Privilege privilege = privilege(connection, plan, facts, job);

        job.step(InstallStep.UPLOAD);
        String directory;
        try {
            directory = connection.output(RemoteCommands.MAKE_DIRECTORY, timeouts.command());
        } catch (IOException e) {
            throw new InstallFailure(InstallStep.UPLOAD, "cannot make a directory in /tmp: " + e.getMessage(), e);
        }
        try {
            upload(connection, plan.script(), directory, "install.sh", job);
            String bundleName = RemoteCommands.bundleName(architecture);
            upload(connection, bundle, directory, bundleName, job);

            job.step(InstallStep.INSTALL);
            String command = RemoteCommands.privileged(privilege,
                    RemoteCommands.install(directory, bundleName, plan.arguments()));
            SshConnection.Exit exit;
            try (InputStream stdin = sudoInput(privilege, plan.credential())) {
                exit = connection.run(command, stdin, job::log, timeouts.install());
            }
            if (!exit.ok()) {
                throw new InstallFailure(InstallStep.INSTALL, "install.sh exited " + exit.status()
                        + " (its output above names the step that failed)");
            }
        } finally {
            try {
                connection.run(RemoteCommands.remove(directory), null, job::log, timeouts.command());
            } catch (IOException e) {
                job.log("could not remove " + directory + ": " + e.getMessage());
            }
        }

        // Reports from before this moment may come from an agent the install replaced.
        Instant installed = clock.instant();
        job.step(InstallStep.AGENT_REPORTS);
        job.log("waiting for the agent on " + facts.hostname() + " to report (at most "
                + timeouts.report().toSeconds() + " s)");
        Instant deadline = clock.instant().plus(timeouts.report());
        while (true) {
            Optional<String> server = hooks.reportingServer(facts.hostname(), installed);
            if (server.isPresent()) {
                job.succeeded(server.get(), clock.instant());
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new InstallFailure(InstallStep.AGENT_REPORTS, "the agent was installed but has not reported"
                        + " within " + timeouts.report().toSeconds() + " s: can the server reach this node's URL"
                        + " (firewall, DNS)? Its log: journalctl -u steward-agent, or /var/log/steward-agent.log");
            }
            Thread.sleep(1000);
        }
    }

    /** Root already, or sudo that works: checked before anything is uploaded. */
    private Privilege privilege(SshConnection connection, Plan plan, HostFacts facts, InstallJob job)
            throws InstallFailure, IOException {
        if (facts.uid() == 0) {
            job.log("logged in as root: no sudo needed");
            return Privilege.ROOT;
        }
        if (!facts.sudo()) {
            throw new InstallFailure(InstallStep.PRIVILEGES, plan.target().user() + " is not root and the host has"
                    + " no sudo: log in as root, or install sudo");
        }
        Privilege privilege = plan.credential() instanceof SshCredential.Password
                ? Privilege.SUDO_WITH_PASSWORD : Privilege.SUDO_WITHOUT_PASSWORD;
        SshConnection.Exit exit;
        try (InputStream stdin = sudoInput(privilege, plan.credential())) {
            exit = connection.run(RemoteCommands.privileged(privilege, "true"), stdin, job::log,
                    timeouts.command());
        }
        if (!exit.ok()) {
            throw new InstallFailure(InstallStep.PRIVILEGES, privilege == Privilege.SUDO_WITH_PASSWORD
                    ? "sudo refused " + plan.target().user() + " with this password (is the account in sudoers?)"
                    : "sudo asks " + plan.target().user() + " for a password: log in with the password instead of"
                            + " a key, or allow NOPASSWD");
        }
        job.log("sudo works for " + plan.target().user());
        return privilege;
    }

    private void upload(SshConnection connection, Path file, String directory, String name, InstallJob job)
            throws Exception {
        long size = Files.size(file);
        job.log("uploading " + name + " (" + size / 1024 + " KiB)");
        String expected = sha256(file);
        SshConnection.Exit exit;
        try (InputStream content = Files.newInputStream(file)) {
            exit = connection.run(RemoteCommands.upload(directory, name), content, job::log, timeouts.upload());
        } catch (IOException e) {
            throw new InstallFailure(InstallStep.UPLOAD, "uploading " + name + " failed: " + e.getMessage(), e);
        }
        String checked;
        try {
            checked = connection.output(RemoteCommands.checksum(directory, name), timeouts.command());
        } catch (IOException e) {
            throw new InstallFailure(InstallStep.UPLOAD, "cannot check " + name + " on the host: " + e.getMessage(),
                    e);
        }
        if (!exit.ok() || !checked.startsWith(expected + " ")) {
            throw new InstallFailure(InstallStep.UPLOAD, name + " arrived damaged or incomplete (SHA-256 "
                    + checked.split(" ")[0] + ", sent " + expected + "); is /tmp full?");
        }
        job.log(name + " arrived intact (SHA-256 " + expected.substring(0, 16) + "…)");
    }

    private static @Nullable InputStream sudoInput(Privilege privilege, SshCredential credential) {
        if (privilege != Privilege.SUDO_WITH_PASSWORD) {
            return null;
        }
        return new ByteArrayInputStream((((SshCredential.Password) credential).password() + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void fail(InstallJob job, Hooks hooks, InstallStep step, String message) {
        job.failed(step, message, clock.instant());
        try {
            hooks.abandon();
        } catch (Exception e) {
            log.warn("could not revoke the enrollment token of SSH install {}", job.id(), e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
