package io.steward.node.install;

import static java.util.Objects.requireNonNull;

import io.steward.node.install.SshConnection.HostKeySeen;
import io.steward.node.problem.Problem;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The node's SSH installs: shows a host's key, starts installs (two at a time, each on its own thread: they wait on
 * the network for minutes), and keeps the latest {@link #KEPT} for the API. Installs live in the node that runs them
 * (a browser following one asks that node).
 */
public final class SshInstalls {
    static final int KEPT = 50;
    private static final int AT_ONCE = 2;

    /** Whether a host key is the one pinned for its host: never seen, the same, or another. */
    public enum PinState {
        NEW,
        TRUSTED,
        CHANGED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What an admin confirms: the key the host presents now, and the one pinned for it, if any. */
    public record HostKey(String host, int port, String fingerprint, String keyType, PinState state,
            @Nullable String pinnedFingerprint, @Nullable String pinnedBy, @Nullable Instant pinnedAt) {}

    /** What the node does around an install: find the server it added, give up its token when it fails. */
    public interface Enrollment {
        Optional<String> reportingServer(String hostname, Instant since) throws Exception;

        void abandon() throws Exception;
    }

    private final HostKeyPins pins;
    private final Clock clock;
    private final SshInstaller installer;
    private final Duration connectTimeout;
    private final Map<String, InstallJob> jobs = new LinkedHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE, runnable -> {
        Thread thread = new Thread(runnable, "steward-ssh-install");
        thread.setDaemon(true);
        return thread;
    });

    public SshInstalls(DataSource dataSource, Clock clock) {
        this(new HostKeyPins(dataSource, clock), clock, SshInstaller.Timeouts.DEFAULT);
    }

    SshInstalls(HostKeyPins pins, Clock clock, SshInstaller.Timeouts timeouts) {
        this.pins = requireNonNull(pins, "pins is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.installer = new SshInstaller(clock, timeouts);
        this.connectTimeout = timeouts.connect();
    }

    /** Connects as far as the key exchange: the key to confirm. Blocks (network, JDBC). */
    public HostKey hostKey(String host, int port) throws SQLException {
        SshTarget where = new SshTarget(host, port, "probe");
        HostKeySeen seen;
        try {
            seen = SshConnection.probe(where.host(), where.port(), connectTimeout);
        } catch (InstallFailure failure) {
            throw Problem.upstreamFailed(failure.getMessage());
        }
        Optional<HostKeyPins.Pinned> pinned = pins.find(host, port);
        PinState state = pinned.isEmpty() ? PinState.NEW
                : pinned.get().fingerprint().equals(seen.fingerprint()) ? PinState.TRUSTED : PinState.CHANGED;
        return new HostKey(host, port, seen.fingerprint(), seen.keyType(), state,
                pinned.map(HostKeyPins.Pinned::fingerprint).orElse(null),
                pinned.map(HostKeyPins.Pinned::trustedBy).orElse(null),
                pinned.map(HostKeyPins.Pinned::trustedAt).orElse(null));
    }

    /**
     * Starts an install the admin confirmed. A host pinned to another key is refused (409) unless
     * {@code acceptChangedKey}: a changed host key is what a machine in the middle looks like. Blocks (JDBC).
     */
    public InstallJob start(SshInstaller.Plan plan, Enrollment enrollment, boolean acceptChangedKey, String admin)
            throws SQLException {
        Optional<HostKeyPins.Pinned> pinned = pins.find(plan.target().host(), plan.target().port());
        if (pinned.isPresent() && !pinned.get().fingerprint().equals(plan.fingerprint()) && !acceptChangedKey) {
            throw Problem.conflict(plan.target().host() + ":" + plan.target().port() + " is pinned to "
                    + pinned.get().fingerprint() + " (confirmed by " + pinned.get().trustedBy() + "), not "
                    + plan.fingerprint() + ": if the host was reinstalled, confirm the new key with"
                    + " acceptChangedKey");
        }
        List<String> secrets = new ArrayList<>(plan.arguments());
        secrets.removeIf(argument -> !argument.startsWith("stw_"));
        secrets.add(plan.credential().secret());
        InstallJob job = new InstallJob(UUID.randomUUID().toString(), plan.target(), clock.instant(), secrets);
        SshInstaller.Hooks hooks = new SshInstaller.Hooks() {
            @Override
            public void trust(HostKeySeen key) throws Exception {
                pins.trust(plan.target().host(), plan.target().port(), key.fingerprint(), key.keyType(), admin);
            }

            @Override
            public Optional<String> reportingServer(String hostname, Instant since) throws Exception {
                return enrollment.reportingServer(hostname, since);
            }

            @Override
            public void abandon() throws Exception {
                enrollment.abandon();
            }
        };
        synchronized (jobs) {
            // Never queued: a queued install would hold its credential and see its token age while it waits.
            if (jobs.values().stream().filter(running -> !running.finished()).count() >= AT_ONCE) {
                throw Problem.unavailable(AT_ONCE + " installs are running on this node: start this one when one"
                        + " of them has ended");
            }
            try {
                threads.execute(() -> installer.run(plan, hooks, job));
            } catch (RejectedExecutionException e) {
                throw Problem.unavailable("the node is stopping");
            }
            jobs.put(job.id(), job);
            // The oldest finished ones go first; a running install is never forgotten.
            int excess = jobs.size() - KEPT;
            for (Iterator<InstallJob> kept = jobs.values().iterator(); excess > 0 && kept.hasNext(); ) {
                if (kept.next().finished()) {
                    kept.remove();
                    excess--;
                }
            }
        }
        return job;
    }

    public Optional<InstallJob> job(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }
}
