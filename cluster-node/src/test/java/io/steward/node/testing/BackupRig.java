package io.steward.node.testing;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.AgentStatus;
import io.steward.core.retry.Backoff;
import io.steward.core.testing.SshServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real parts of a backup test: a real sshd on loopback (its own host key; the agent's key confined by rrsync
 * to {@link #destination}), a source directory, and a real agent allowed to read {@link #sourceRoot} and to send to
 * the sshd's host, enrolled with a node. Jobs are made, trusted and followed through the node's API only.
 */
public final class BackupRig implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(60);

    public final SshServer sshd;
    public final Path sourceRoot;
    public final Path source;
    public final Path destination;
    private final Path agentDirectory;
    private final Path backupsFile;
    private Agent agent;
    private String serverId;
    private String agentPublicKey;

    private BackupRig(Path work) throws IOException {
        this.sshd = SshServer.start(work.resolve("sshd"));
        this.sourceRoot = Files.createDirectories(work.resolve("data"));
        this.source = Files.createDirectories(sourceRoot.resolve("www"));
        this.destination = Files.createDirectories(work.resolve("backups"));
        this.agentDirectory = work.resolve("agent");
        this.backupsFile = work.resolve("backups.json");
        Files.writeString(backupsFile, """
                {"allowSources": ["%s"], "allowDestinations": ["%s"]}""".formatted(sourceRoot, sshd.host()));
    }

    public static BackupRig start(Path work) throws IOException {
        return new BackupRig(work);
    }

    /** Starts the agent (enrolling it on first start) and authorizes its backup key on the sshd. */
    public String startAgent(int nodePort, ApiClient api) throws IOException {
        AgentSettings.Builder settings = AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + nodePort + "/ws/agent"))
                .interval(Duration.ofSeconds(1))
                .reconnectBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0)) // node restarts
                .stateDirectory(agentDirectory)
                .backupsFile(backupsFile);
        if (serverId == null) {
            settings.token(api.enrollmentToken());
        }
        agent = Agent.start(settings.build(), new SteerableSource("backup-host", 1000, 10));
        serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
        JsonNode key = await(WAIT, "the agent's backup key", () -> {
            JsonNode body = api.get("/api/servers/" + serverId + "/backup-key").json();
            return body.get("publicKey").isNull() ? null : body;
        });
        assertThat(key.get("enabled").asBoolean()).isTrue();
        assertThat(key.get("allowSources").get(0).asText()).isEqualTo(sourceRoot.toString());
        agentPublicKey = key.get("publicKey").asText();
        authorizeAgent();
        return serverId;
    }

    /** (Again) lets the agent's key in, confined to {@link #destination}. */
    public void authorizeAgent() throws IOException {
        sshd.authorize(agentPublicKey, destination);
    }

    public void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    /** The running agent's link status (its acknowledged report sequence). */
    public AgentStatus agentStatus() {
        return agent.status();
    }

    public String serverId() {
        return serverId;
    }

    /** The job body for {@code source} to the sshd, with the given schedule and retention JSON. */
    public String job(String name, String schedule, String retention) {
        return """
                {"name":"%s","sources":["%s"],"excludes":["*.tmp"],
                 "destination":{"host":"%s","port":%d,"user":"%s","path":"%s"},
                 "schedule":%s,"retention":%s}""".formatted(name, source, sshd.host(), sshd.port(), sshd.user(),
                destination, schedule, retention);
    }

    /** Creates the job, waits for the agent to fetch the host key, checks it is the sshd's, and trusts it. */
    public String createTrusted(ApiClient api, String body) {
        ApiClient.Response created = api.post(base(), body);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String jobId = created.json().get("id").asText();
        JsonNode hostKey = await(WAIT, "the destination's host key", () -> {
            JsonNode key = job(api, jobId).get("hostKey");
            return key.isNull() || key.get("fingerprint").isNull() ? null : key;
        });
        assertThat(hostKey.get("fingerprint").asText()).isEqualTo(sshd.hostKey().fingerprint());
        assertThat(hostKey.get("trusted").asBoolean()).isFalse();
        ApiClient.Response trusted = api.post(base() + "/" + jobId + "/trust-host-key",
                "{\"fingerprint\":\"" + hostKey.get("fingerprint").asText() + "\"}");
        assertThat(trusted.status()).as(trusted.raw().body()).isEqualTo(200);
        assertThat(trusted.json().get("hostKey").get("trusted").asBoolean()).isTrue();
        return jobId;
    }

    public JsonNode job(ApiClient api, String jobId) {
        return api.get(base() + "/" + jobId).json();
    }

    public List<JsonNode> runs(ApiClient api, String jobId) {
        List<JsonNode> runs = new java.util.ArrayList<>();
        api.get(base() + "/" + jobId + "/runs").json().forEach(runs::add);
        return runs;
    }

    /** Starts a run now and waits for it to end; its run entry. */
    public JsonNode runNow(ApiClient api, String jobId) {
        ApiClient.Response started = api.post(base() + "/" + jobId + "/run", "{}");
        assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
        String runId = started.json().get("runId").asText();
        return await(WAIT, "run " + runId + " to end", () -> runs(api, jobId).stream()
                .filter(run -> run.get("id").asText().equals(runId) && !run.get("state").asText().equals("running"))
                .findFirst().orElse(null));
    }

    public String base() {
        return "/api/servers/" + serverId + "/backups";
    }

    /** The snapshot directories on the destination, by name. */
    public List<String> snapshotsOnDisk() throws IOException {
        Path snapshots = destination.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        try (var names = Files.list(snapshots)) {
            return names.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** Where {@code file} of the source is inside snapshot {@code name} (its full path under the snapshot). */
    public Path inSnapshot(String name, Path file) {
        return destination.resolve("snapshots").resolve(name).resolve(file.toString().substring(1));
    }

    @Override
    public void close() {
        stopAgent();
        sshd.close();
    }
}
