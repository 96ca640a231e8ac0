package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.InstallingNode;
import io.steward.node.testing.SshdHost;
import io.steward.node.testing.ThrowawayRoot;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing an agent over SSH from the API, as an admin would from the dashboard, against a real OpenSSH server: the
 * sshd runs in a throwaway root (its own mount namespace: tmpfs over /opt and /run, overlays over /etc and /var), so
 * root's password, a test user and everything install.sh writes stay in it. The node shows the host key (as
 * ssh-keygen prints it), the admin's confirmed key is pinned, the bundle is uploaded and installed with a single-use
 * token, the log streams as server-sent events, and the agent reports. Wrong keys, passwords and privileges fail at
 * the step that names them, and nothing secret is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshInstallIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL = Duration.ofSeconds(180);
    private static final String ROOT_PASSWORD = SshdHost.ROOT_PASSWORD;
    private static final String USER_PASSWORD = SshdHost.USER_PASSWORD;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path downloads;
    @TempDir
    static Path sshDir;

    private InstallingNode installing;
    private ApiClient api;
    private SshdHost sshd;
    private ThrowawayRoot root;
    private int sshPort;
    private String hostFingerprint;
    private String clientKey;

    @BeforeAll
    void start() throws Exception {
        installing = InstallingNode.start(dataDir, downloads);
        api = installing.api();
        sshd = SshdHost.start(sshDir);
        root = sshd.root();
        sshPort = sshd.port();
        hostFingerprint = sshd.hostFingerprint();
        clientKey = sshd.clientKey();
    }

    @AfterAll
    void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (installing != null) {
            installing.close();
        }
    }

    @Test
    void anAdminConfirmsTheHostKeyAndTheAgentIsInstalledOverSshAndReports() throws Exception {
        JsonNode key = api.post("/api/ssh-installs/host-key", hostKeyRequest()).json();
        assertThat(key.get("fingerprint").asText()).isEqualTo(hostFingerprint);
        assertThat(key.get("keyType").asText()).isEqualTo("ssh-ed25519");
        assertThat(key.get("state").asText()).isIn("new", "trusted");

        ObjectNode request = install("root", hostFingerprint);
        request.put("privateKey", clientKey);
        ApiClient.Response accepted = api.post("/api/ssh-installs", request.toString());
        assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(202);
        String id = accepted.json().get("id").asText();

        // The log as it happens: the first line arrives while the install is still running.
        List<String> lines = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        HttpResponse<Stream<String>> events = api.lines("/api/ssh-installs/" + id + "/events", INSTALL);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String stateWhenFirstLineArrived = null;
        // An event is its "data:" and "event:" fields (in either order) up to a blank line.
        String kind = "message";
        String data = null;
        try (Stream<String> body = events.body()) {
            Iterator<String> it = body.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    kind = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).strip();
                } else if (line.isEmpty()) {
                    if (data != null || !kind.equals("message")) {
                        kinds.add(kind);
                        if (kind.equals("line")) {
                            lines.add(data);
                            if (stateWhenFirstLineArrived == null) {
                                stateWhenFirstLineArrived = api.get("/api/ssh-installs/" + id).json().get("state")
                                        .asText();
                            }
                        }
                    }
                    kind = "message";
                    data = null;
                }
            }
        }
        assertThat(stateWhenFirstLineArrived).isEqualTo("running");
        assertThat(kinds).last().isEqualTo("end");
        assertThat(lines).containsSubsequence("== connect", "== host-key", "== authenticate", "== inspect",
                "== privileges", "== upload", "== install", "== agent-reports");
        assertThat(String.join("\n", lines)).contains("logged in as root: no sudo needed",
                "steward-agent-linux-x86_64.tar.gz arrived intact", "started in the background");

        JsonNode done = api.get("/api/ssh-installs/" + id).json();
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("step").asText()).isEqualTo("done");
        String serverId = done.get("serverId").asText();
        JsonNode server = api.get("/api/servers/" + serverId).json();
        assertThat(server.get("online").asBoolean()).isTrue();
        String log = done.get("lines").toString();
        assertThat(log).doesNotContain("stw_enroll_", "BEGIN OPENSSH PRIVATE KEY");

        // Pinned; the token was single-use and is spent; the install is in the audit log.
        assertThat(api.post("/api/ssh-installs/host-key", hostKeyRequest()).json().get("state").asText())
                .isEqualTo("trusted");
        JsonNode tokens = api.get("/api/enrollment-tokens").json().get("tokens");
        assertThat(tokens).anySatisfy(token -> {
            assertThat(token.get("maxUses").asInt()).isEqualTo(1);
            assertThat(token.get("uses").asInt()).isEqualTo(1);
        });
        assertThat(api.get("/api/audit").json().toString()).contains("agent.ssh-install", "root@127.0.0.1:" + sshPort);
        // The key never reached the database: no line of it is in the H2 file.
        String keyLine = clientKey.lines().filter(line -> line.length() > 40).findFirst().orElseThrow();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(keyLine);
            }
        }
        ThrowawayRoot.Result removed = root.run("sh /opt/steward-agent/share/install.sh --uninstall", 60);
        assertThat(removed.exitCode()).as(removed.output()).isZero();
    }

    @Test
    void eachFailureNamesItsStepAndGivesUpItsToken() throws Exception {
        // A host key other than the confirmed one: nothing is sent (not even the password).
        String other = "SHA256:" + "A".repeat(43);
        ObjectNode wrongKey = install("root", other);
        wrongKey.put("password", ROOT_PASSWORD);
        if (api.post("/api/ssh-installs/host-key", hostKeyRequest()).json().get("state").asText().equals("trusted")) {
            // Another test pinned the real key: a different one is refused up front, unless the admin says the
            // host was reinstalled; then the connection itself finds the mismatch.
            assertThat(api.post("/api/ssh-installs", wrongKey.toString()).status()).isEqualTo(409);
            wrongKey.put("acceptChangedKey", true);
        }
        JsonNode failed = finished(api.post("/api/ssh-installs", wrongKey.toString()).json().get("id").asText());
        assertThat(failed.get("step").asText()).isEqualTo("host-key");
        assertThat(failed.get("error").asText()).contains("not the confirmed " + other, "nothing was sent");

        ObjectNode wrongPassword = install("root", hostFingerprint);
        wrongPassword.put("password", "not the password");
        failed = finished(api.post("/api/ssh-installs", wrongPassword.toString()).json().get("id").asText());
        assertThat(failed.get("step").asText()).isEqualTo("authenticate");
        assertThat(failed.get("error").asText()).contains("refused the password");

        // A user who is not root, on a host without sudo: stopped before anything is uploaded.
        ObjectNode noSudo = install("tester", hostFingerprint);
        noSudo.put("password", USER_PASSWORD);
        failed = finished(api.post("/api/ssh-installs", noSudo.toString()).json().get("id").asText());
        assertThat(failed.get("step").asText()).as(failed.toString()).isEqualTo("privileges");
        assertThat(failed.get("error").asText()).contains("tester is not root", "no sudo");
        assertThat(failed.get("lines").toString()).doesNotContain("== upload", USER_PASSWORD);

        // Every failed install's token was revoked: none is left usable.
        JsonNode tokens = api.get("/api/enrollment-tokens").json().get("tokens");
        assertThat(tokens).filteredOn(token -> token.get("uses").asInt() == 0)
                .allSatisfy(token -> assertThat(token.get("state").asText()).isEqualTo("revoked"));
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingConnects() {
        ObjectNode both = install("root", hostFingerprint);
        both.put("password", "x");
        both.put("privateKey", clientKey);
        assertThat(api.post("/api/ssh-installs", both.toString()).raw().body()).contains("exactly one");
        ObjectNode badHost = install("root", hostFingerprint);
        badHost.put("host", "-oProxyCommand=sh");
        badHost.put("password", "x");
        ApiClient.Response refused = api.post("/api/ssh-installs", badHost.toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("host must be");
        ObjectNode noFingerprint = install("root", "");
        noFingerprint.put("password", "x");
        assertThat(api.post("/api/ssh-installs", noFingerprint.toString()).raw().body()).contains("fingerprint");
        assertThat(api.get("/api/ssh-installs/no-such-install").status()).isEqualTo(404);
    }

    private JsonNode finished(String id) {
        return await(INSTALL, "install " + id + " to end", () -> {
            JsonNode view = api.get("/api/ssh-installs/" + id).json();
            return view.get("state").asText().equals("running") ? null : view;
        });
    }

    private String hostKeyRequest() {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("port", sshPort).toString();
    }

    private ObjectNode install(String user, String fingerprint) {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("port", sshPort).put("user", user)
                .put("fingerprint", fingerprint);
    }
}
