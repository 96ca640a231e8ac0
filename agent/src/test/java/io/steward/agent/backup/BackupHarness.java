package io.steward.agent.backup;

import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.Retention;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.SshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Real backups of one agent (its own state directory and key) against a real sshd: everything the agent sends is
 * recorded, and commands are given as the node gives them. The key is authorized on the sshd for one destination
 * directory, confined there by rrsync.
 */
final class BackupHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final SshServer sshd;
    final Path stateDirectory;
    final Path destination;
    final BackupsConfig config;
    final EnabledBackups backups;
    private final List<AgentMessage> sent = new ArrayList<>();

    private BackupHarness(SshServer sshd, Path stateDirectory, Path destination, BackupsConfig config, Clock clock)
            throws IOException, InterruptedException {
        this.sshd = sshd;
        this.stateDirectory = stateDirectory;
        this.destination = destination;
        this.config = config;
        this.backups = EnabledBackups.start(config, stateDirectory, "test-host", "test", this::record, clock);
    }

    /**
     * An agent allowed to read below {@code allowSources} and to send to the sshd's host (any port), its key
     * authorized there for {@code directory/destination}.
     */
    static BackupHarness start(SshServer sshd, Path directory, List<String> allowSources) throws Exception {
        BackupHarness harness = unauthorized(sshd, directory, allowSources);
        sshd.authorize(harness.backups.publicKey(), harness.destination);
        return harness;
    }

    /** As {@link #start}, but the sshd does not know this agent's key. */
    static BackupHarness unauthorized(SshServer sshd, Path directory, List<String> allowSources) throws Exception {
        Path destination = Files.createDirectories(directory.resolve("destination"));
        BackupsConfig config = new BackupsConfig(allowSources, List.of(sshd.host()), Programs.DEBIAN);
        return new BackupHarness(sshd, directory.resolve("state"), destination, config, Clock.systemUTC());
    }

    /** Another agent on the same state directory (a restart), not authorized anew. */
    BackupHarness restarted() throws Exception {
        return new BackupHarness(sshd, stateDirectory, destination, config, Clock.systemUTC());
    }

    private synchronized void record(AgentMessage message) {
        sent.add(message);
    }

    synchronized List<AgentMessage> sent() {
        return List.copyOf(sent);
    }

    <T extends AgentMessage> List<T> sent(Class<T> type, Predicate<T> which) {
        return sent().stream().filter(type::isInstance).map(type::cast).filter(which).toList();
    }

    /** The first message of {@code type} matching {@code which}, waited for. */
    <T extends AgentMessage> T await(Class<T> type, Predicate<T> which) {
        return Eventually.await(WAIT, "a " + type.getSimpleName() + " from the agent",
                () -> sent(type, which).stream().findFirst().orElse(null));
    }

    BackupDestination destinationSpec() {
        return new BackupDestination(sshd.host(), sshd.port(), sshd.user(), destination.toString());
    }

    BackupJobSpec job(List<Path> sources) {
        return job(sources, null);
    }

    BackupJobSpec job(List<Path> sources, Integer bandwidthKiBps) {
        return new BackupJobSpec("www", sources.stream().map(Path::toString).toList(), List.of("*.tmp"),
                destinationSpec(), bandwidthKiBps, null);
    }

    NodeMessage.BackupRun backupRun(String runId, BackupJobSpec job, String snapshot, Retention retention) {
        return new NodeMessage.BackupRun(runId, job, snapshot, sshd.hostKey(), retention, "UTC");
    }

    /** Runs a backup and waits for its result. */
    AgentMessage.BackupRunResult run(NodeMessage.BackupRun run) {
        backups.handle(run);
        return await(AgentMessage.BackupRunResult.class, result -> result.runId().equals(run.runId()));
    }

    Path snapshot(String name) {
        return destination.resolve("snapshots").resolve(name);
    }

    Path marker(String name) {
        return destination.resolve(".steward/complete").resolve(name);
    }

    /** Where {@code file} (an absolute path on this machine) is inside snapshot {@code name}. */
    Path inSnapshot(String name, Path file) {
        return snapshot(name).resolve(file.toString().substring(1));
    }

    @Override
    public void close() {
        backups.close();
    }
}
