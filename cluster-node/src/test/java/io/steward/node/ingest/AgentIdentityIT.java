package io.steward.node.ingest;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.services.ServiceState;
import io.steward.core.testing.Reports;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may speak for a server, against a real node over raw agent sockets: a machine id and a used-up token take
 * nothing over; a valid token re-enrolls a known machine only on the record (history, inbox) and, while the old
 * agent reports, only with an admin's approval; one credential never has two connections; tokens are single use
 * and revocable; credentials rotate and are revocable without losing the server's history; content limits and the
 * report rate answer with clear, counted errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIdentityIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;
    private StewardNode node;
    private ApiClient api;

    @BeforeAll
    void startNode() throws Exception {
        node = StewardNode.start(ConfigFactory.parseString("""
                        steward.ingest.max-reports-per-second = 1
                        steward.ingest.report-burst = 20
                        """).withFallback(TestNodes.h2(dataDir)).resolve());
        api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    // ---------------------------------------------------------------- helpers

    private static String hello(String token, String hostname, String machineId) {
        return WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, hostname, machineId));
    }

    private static String hello(String token, String hostname, String machineId, String enrollmentProof) {
        return WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, hostname, machineId,
                enrollmentProof));
    }

    private static String report(long sequence, String hostname) {
        return WireFormat.encode(new AgentMessage.Report(sequence, Reports.report(hostname, Instant.now(), 5)));
    }

    private String newToken() {
        return api.post("/api/enrollment-tokens", "{}").json().get("token").asText();
    }

    private static NodeMessage.Error expectError(RawAgentSocket socket, ErrorCode code, boolean fatal) {
        NodeMessage message = socket.next();
        assertThat(message).as("expected an error %s", code).isInstanceOf(NodeMessage.Error.class);
        NodeMessage.Error error = (NodeMessage.Error) message;
        assertThat(error.code()).as(error.message()).isEqualTo(code);
        assertThat(error.fatal()).isEqualTo(fatal);
        assertThat(error.message()).isNotBlank();
        return error;
    }

    private static NodeMessage.Welcome expectWelcome(RawAgentSocket socket) {
        NodeMessage message = socket.next();
        assertThat(message).as("expected a welcome, got %s", message).isInstanceOf(NodeMessage.Welcome.class);
        return (NodeMessage.Welcome) message;
    }

    private static void expectAck(RawAgentSocket socket, long sequence) {
        assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(sequence));
    }

    /** An enrolled agent whose connection is open and whose server is online (it has reported). */
    private record Enrolled(RawAgentSocket socket, String serverId, String credential) {}

    private Enrolled enrollAndReport(String hostname, String machineId) {
        RawAgentSocket socket = new RawAgentSocket(node.httpPort());
        socket.send(hello(newToken(), hostname, machineId));
        NodeMessage.Welcome welcome = expectWelcome(socket);
        assertThat(welcome.credential()).isNotNull();
        socket.send(report(1, hostname));
        expectAck(socket, 1);
        eventually(WAIT, () -> assertThat(api.get("/api/servers/" + welcome.serverId()).json().get("online")
                .asBoolean()).isTrue());
        return new Enrolled(socket, welcome.serverId(), welcome.credential());
    }

    private List<String> historyTypes(String serverId) {
        List<String> types = new ArrayList<>();
        api.get("/api/servers/" + serverId + "/events?limit=200").json().get("events")
                .forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    private JsonNode token(String id) {
        for (JsonNode token : api.get("/api/enrollment-tokens").json().get("tokens")) {
            if (token.get("id").asText().equals(id)) {
                return token;
            }
        }
        throw new AssertionError("token " + id + " not listed");
    }

    private long ingestErrors(ErrorCode code) {
        return api.get("/api/node").json().get("ingest").get("errors").get(code.name()).asLong();
    }

    // ---------------------------------------------------------------- takeover

    @Test
    void aMachineIdWithAUsedUpTokenTakesNothingOver() {
        String token = newToken();
        Enrolled real;
        try (RawAgentSocket first = new RawAgentSocket(node.httpPort())) {
            first.send(hello(token, "victim", "machine-victim", "proof-of-the-real-agent"));
            NodeMessage.Welcome welcome = expectWelcome(first);
            real = new Enrolled(first, welcome.serverId(), welcome.credential());
        }
        // Right after the welcome, before the real agent said anything: the token and the machine id are not enough.
        try (RawAgentSocket attacker = new RawAgentSocket(node.httpPort())) {
            attacker.send(hello(token, "attacker", "machine-victim", "a-guessed-proof"));
            assertThat(expectError(attacker, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        try (RawAgentSocket attacker = new RawAgentSocket(node.httpPort())) {
            attacker.send(hello(token, "attacker", "machine-victim"));
            assertThat(expectError(attacker, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        // The real agent's credential still works; nothing was recorded as a re-enrollment.
        try (RawAgentSocket again = new RawAgentSocket(node.httpPort())) {
            again.send(hello(real.credential(), "victim", "machine-victim"));
            assertThat(expectWelcome(again).serverId()).isEqualTo(real.serverId());
        }
        assertThat(historyTypes(real.serverId())).doesNotContain("re-enrollment-requested");
    }

    @Test
    void reEnrollingAReportingMachineIsRecordedWarnedAndWaitsForAnAdmin() {
        Enrolled real = enrollAndReport("web-takeover", "machine-takeover");
        JsonNode tokenBody = api.post("/api/enrollment-tokens", "{}").json();
        String token = tokenBody.get("token").asText();
        try (RawAgentSocket newcomer = new RawAgentSocket(node.httpPort())) {
            newcomer.send(hello(token, "web-takeover", "machine-takeover"));
            assertThat(expectError(newcomer, ErrorCode.ENROLLMENT_PENDING, true).message()).contains("approve");
        }
        // Recorded in the history, warned in the inbox, listed for approval; asking again costs no second use.
        assertThat(historyTypes(real.serverId())).contains("re-enrollment-requested");
        eventually(WAIT, () -> assertThat(api.get("/api/inbox").json().toString())
                .contains("re-enrollment").contains(real.serverId()));
        JsonNode pending = api.get("/api/re-enrollments").json().get("requests");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("serverId").asText()).isEqualTo(real.serverId());
        String requestId = pending.get(0).get("requestId").asText();
        try (RawAgentSocket newcomer = new RawAgentSocket(node.httpPort())) {
            newcomer.send(hello(token, "web-takeover", "machine-takeover"));
            expectError(newcomer, ErrorCode.ENROLLMENT_PENDING, true);
        }
        assertThat(token(tokenBody.get("id").asText()).get("uses").asInt()).isEqualTo(1);
        // Meanwhile the real agent keeps reporting.
        real.socket().send(report(2, "web-takeover"));
        expectAck(real.socket(), 2);

        // The admin approves: the old agent is closed and locked out, the new one gets the server's identity.
        assertThat(api.post("/api/re-enrollments/" + requestId + "/approve", "{}").status()).isEqualTo(200);
        expectError(real.socket(), ErrorCode.UNAUTHORIZED, true);
        assertThat(real.socket().awaitClosed(Duration.ofSeconds(10))).isTrue();
        real.socket().close();
        try (RawAgentSocket old = new RawAgentSocket(node.httpPort())) {
            old.send(hello(real.credential(), "web-takeover", "machine-takeover"));
            expectError(old, ErrorCode.UNAUTHORIZED, true);
        }
        try (RawAgentSocket newcomer = new RawAgentSocket(node.httpPort())) {
            newcomer.send(hello(token, "web-takeover", "machine-takeover"));
            NodeMessage.Welcome welcome = expectWelcome(newcomer);
            assertThat(welcome.serverId()).isEqualTo(real.serverId());
            assertThat(welcome.credential()).isNotNull().isNotEqualTo(real.credential());
            assertThat(welcome.lastStoredSequence()).isEqualTo(2);
        }
        assertThat(historyTypes(real.serverId())).contains("re-enrollment-approved");
        assertThat(api.get("/api/re-enrollments").json().get("requests")).isEmpty();
    }

    @Test
    void aMachineWhoseAgentJustWentAwayIsNotHandedOverWithoutAnAdmin() {
        // The real agent reported, then dropped off (a reboot, a cut cable): its credential still counts as in use.
        Enrolled real = enrollAndReport("web-rebooting", "machine-rebooting");
        real.socket().close();
        // Once the entity knows the agent is gone (asking it for processes is "not connected"), it is still the
        // real agent's server.
        eventually(WAIT, () -> assertThat(api.get("/api/servers/" + real.serverId() + "/processes").status())
                .isEqualTo(503));
        try (RawAgentSocket newcomer = new RawAgentSocket(node.httpPort())) {
            newcomer.send(hello(newToken(), "web-rebooting", "machine-rebooting"));
            expectError(newcomer, ErrorCode.ENROLLMENT_PENDING, true);
        }
        try (RawAgentSocket back = new RawAgentSocket(node.httpPort())) {
            back.send(hello(real.credential(), "web-rebooting", "machine-rebooting"));
            assertThat(expectWelcome(back).serverId()).isEqualTo(real.serverId());
        }
        // The admin denies the stranger's request; the real agent keeps its server.
        for (JsonNode request : api.get("/api/re-enrollments").json().get("requests")) {
            if (request.get("serverId").asText().equals(real.serverId())) {
                assertThat(api.post("/api/re-enrollments/" + request.get("requestId").asText() + "/deny", "{}")
                        .status()).isEqualTo(200);
            }
        }
        assertThat(historyTypes(real.serverId())).contains("re-enrollment-denied");
    }

    @Test
    void reEnrollingASilentMachineProceedsButIsRecordedAndWarned() {
        String serverId;
        String oldCredential;
        try (RawAgentSocket first = new RawAgentSocket(node.httpPort())) {
            first.send(hello(newToken(), "lost-state", "machine-lost-state"));
            NodeMessage.Welcome welcome = expectWelcome(first);
            serverId = welcome.serverId();
            oldCredential = welcome.credential();
        }
        try (RawAgentSocket again = new RawAgentSocket(node.httpPort())) {
            again.send(hello(newToken(), "lost-state", "machine-lost-state"));
            NodeMessage.Welcome welcome = expectWelcome(again);
            assertThat(welcome.serverId()).isEqualTo(serverId);
            assertThat(welcome.credential()).isNotEqualTo(oldCredential);
        }
        assertThat(historyTypes(serverId)).contains("re-enrollment-requested");
        eventually(WAIT, () -> assertThat(api.get("/api/inbox").json().toString()).contains(serverId));
        try (RawAgentSocket old = new RawAgentSocket(node.httpPort())) {
            old.send(hello(oldCredential, "lost-state", "machine-lost-state"));
            expectError(old, ErrorCode.UNAUTHORIZED, true);
        }
    }

    @Test
    void machineIdsAreShownToAdminsOnly() throws Exception {
        Enrolled enrolled = enrollAndReport("private-id", "machine-private-id");
        enrolled.socket().close();
        assertThat(api.post("/api/users", """
                {"username":"viewer-identity","password":"viewer password 1","role":"viewer"}""").status())
                .isEqualTo(201);
        ApiClient viewer = new ApiClient(node.httpPort());
        viewer.login("viewer-identity", "viewer password 1");
        assertThat(api.get("/api/servers/" + enrolled.serverId() + "/events").raw().body())
                .contains("machine-private-id");
        String seen = viewer.get("/api/servers/" + enrolled.serverId() + "/events").raw().body();
        assertThat(seen).contains("registered").doesNotContain("machine-private-id");
    }

    // ---------------------------------------------------------------- one connection per credential

    @Test
    void aSecondConnectionWithTheSameCredentialIsRefusedAndNoReportIsLost() {
        Enrolled first = enrollAndReport("twin", "machine-twin");
        long storedBefore = node.ingestCounters().reportsStored();
        long duplicatesBefore = node.ingestCounters().reportsDuplicate();
        try (RawAgentSocket second = new RawAgentSocket(node.httpPort())) {
            second.send(hello(first.credential(), "twin", "machine-twin"));
            expectError(second, ErrorCode.CREDENTIAL_IN_USE, true);
            assertThat(second.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        // The first keeps reporting: its sequence is its own, every report stored as new.
        first.socket().send(report(2, "twin"));
        expectAck(first.socket(), 2);
        first.socket().send(report(3, "twin"));
        expectAck(first.socket(), 3);
        assertThat(node.ingestCounters().reportsStored() - storedBefore).isEqualTo(2);
        assertThat(node.ingestCounters().reportsDuplicate()).isEqualTo(duplicatesBefore);
        first.socket().close();
        // Once the first is gone, a connection with the credential gets in and continues above what is stored.
        eventually(WAIT, () -> {
            try (RawAgentSocket later = new RawAgentSocket(node.httpPort())) {
                later.send(hello(first.credential(), "twin", "machine-twin"));
                assertThat(expectWelcome(later).lastStoredSequence()).isEqualTo(3);
            }
        });
    }

    @Test
    void anEnrollmentWhoseWelcomeWasLostIsRetriedForTheSameServerWithoutAnotherUse() {
        JsonNode created = api.post("/api/enrollment-tokens", "{}").json(); // one use
        String token = created.get("token").asText();
        String serverId;
        String lostCredential;
        try (RawAgentSocket first = new RawAgentSocket(node.httpPort())) {
            first.send(hello(token, "lost-welcome", "machine-lost-welcome", "proof-lost-welcome"));
            NodeMessage.Welcome welcome = expectWelcome(first);
            serverId = welcome.serverId();
            lostCredential = welcome.credential();
            // The connection drops before the agent says anything: it never saved the credential.
        }
        try (RawAgentSocket other = new RawAgentSocket(node.httpPort())) {
            other.send(hello(token, "lost-welcome", "machine-lost-welcome", "not-the-same-proof"));
            assertThat(expectError(other, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        Enrolled retried;
        try (RawAgentSocket retry = new RawAgentSocket(node.httpPort())) {
            retry.send(hello(token, "lost-welcome", "machine-lost-welcome", "proof-lost-welcome"));
            NodeMessage.Welcome welcome = expectWelcome(retry);
            assertThat(welcome.serverId()).as("the same server, not a second one").isEqualTo(serverId);
            assertThat(welcome.credential()).isNotNull().isNotEqualTo(lostCredential);
            retried = new Enrolled(retry, serverId, welcome.credential());
            retry.send(report(1, "lost-welcome"));
            expectAck(retry, 1);
        }
        assertThat(token(created.get("id").asText()).get("uses").asInt()).as("the retry cost no use").isEqualTo(1);
        try (RawAgentSocket old = new RawAgentSocket(node.httpPort())) {
            old.send(hello(lostCredential, "lost-welcome", "machine-lost-welcome"));
            expectError(old, ErrorCode.UNAUTHORIZED, true);
        }
        // Once the agent presents its credential, the token is spent for this machine too.
        try (RawAgentSocket again = new RawAgentSocket(node.httpPort())) {
            again.send(hello(retried.credential(), "lost-welcome", "machine-lost-welcome"));
            assertThat(expectWelcome(again).serverId()).isEqualTo(serverId);
        }
        try (RawAgentSocket late = new RawAgentSocket(node.httpPort())) {
            late.send(hello(token, "lost-welcome", "machine-lost-welcome", "proof-lost-welcome"));
            assertThat(expectError(late, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        assertThat(historyTypes(serverId)).doesNotContain("re-enrollment-requested");
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void tokensAreSingleUseByDefaultAndRevocable() {
        JsonNode created = api.post("/api/enrollment-tokens", "{}").json();
        assertThat(created.get("maxUses").asInt()).isEqualTo(1);
        assertThat(created.get("systemdUnit").asText()).contains("User=root").doesNotContain("DynamicUser");
        String id = created.get("id").asText();
        assertThat(token(id).get("state").asText()).isEqualTo("active");
        assertThat(api.get("/api/enrollment-tokens").raw().body()).doesNotContain(created.get("token").asText());
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(created.get("token").asText(), "single-1", "machine-single-1"));
            expectWelcome(socket);
        }
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(created.get("token").asText(), "single-2", "machine-single-2"));
            assertThat(expectError(socket, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        assertThat(token(id).get("state").asText()).isEqualTo("used-up");

        JsonNode revocable = api.post("/api/enrollment-tokens", "{\"maxUses\":5}").json();
        String revocableId = revocable.get("id").asText();
        assertThat(api.delete("/api/enrollment-tokens/" + revocableId).status()).isEqualTo(200);
        assertThat(token(revocableId).get("state").asText()).isEqualTo("revoked");
        assertThat(token(revocableId).get("revokedBy").asText()).isEqualTo("admin");
        assertThat(api.delete("/api/enrollment-tokens/" + revocableId).status()).isEqualTo(404);
        assertThat(api.delete("/api/enrollment-tokens/not-an-id").status()).isEqualTo(404);
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(revocable.get("token").asText(), "revoked-token", "machine-revoked-token"));
            assertThat(expectError(socket, ErrorCode.UNAUTHORIZED, true).message()).contains("revoked");
        }
    }

    // ---------------------------------------------------------------- credentials

    @Test
    void aRevokedCredentialIsRefusedWhileTheServerKeepsItsHistory() {
        Enrolled enrolled = enrollAndReport("revoked-agent", "machine-revoked-agent");
        assertThat(api.post("/api/servers/" + enrolled.serverId() + "/credential/revoke", "{}").status())
                .isEqualTo(200);
        expectError(enrolled.socket(), ErrorCode.UNAUTHORIZED, true);
        enrolled.socket().close();
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(enrolled.credential(), "revoked-agent", "machine-revoked-agent"));
            expectError(socket, ErrorCode.UNAUTHORIZED, true);
        }
        assertThat(api.get("/api/servers/" + enrolled.serverId()).status()).isEqualTo(200);
        assertThat(historyTypes(enrolled.serverId())).contains("registered", "came-online", "credential-revoked");
        assertThat(api.post("/api/servers/no-such-server/credential/revoke", "{}").status()).isEqualTo(404);
    }

    @Test
    void aRotatedCredentialReplacesTheOldOneAtItsFirstUse() {
        Enrolled enrolled = enrollAndReport("rotating", "machine-rotating");
        enrolled.socket().send(WireFormat.encode(new AgentMessage.RotateCredential()));
        NodeMessage rotated = enrolled.socket().next();
        assertThat(rotated).isInstanceOf(NodeMessage.CredentialRotated.class);
        String next = ((NodeMessage.CredentialRotated) rotated).credential();
        assertThat(next).isNotEqualTo(enrolled.credential());
        // Each rotation writes to the database: one per connection.
        enrolled.socket().send(WireFormat.encode(new AgentMessage.RotateCredential()));
        assertThat(expectError(enrolled.socket(), ErrorCode.LIMIT_EXCEEDED, false).message()).contains("rotation");
        enrolled.socket().close();
        // Until the new credential is used, the old one still works (the answer may have been lost).
        eventually(WAIT, () -> {
            try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
                socket.send(hello(enrolled.credential(), "rotating", "machine-rotating"));
                expectWelcome(socket);
            }
        });
        eventually(WAIT, () -> {
            try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
                socket.send(hello(next, "rotating", "machine-rotating"));
                assertThat(expectWelcome(socket).serverId()).isEqualTo(enrolled.serverId());
            }
        });
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(enrolled.credential(), "rotating", "machine-rotating"));
            expectError(socket, ErrorCode.UNAUTHORIZED, true);
        }
    }

    // ---------------------------------------------------------------- limits

    @Test
    void oversizedAndMalformedContentIsRefusedClearlyAndCounted() {
        Enrolled enrolled = enrollAndReport("limits", "machine-limits");
        RawAgentSocket socket = enrolled.socket();
        long before = ingestErrors(ErrorCode.LIMIT_EXCEEDED);

        List<ServiceState> many = IntStream.range(0, 501).mapToObj(i -> new ServiceState("unit-" + i + ".service",
                ServiceState.Kind.SYSTEMD, ServiceState.Status.RUNNING, "active/running", "", null, null, null, null,
                null, false)).toList();
        socket.send(WireFormat.encode(new AgentMessage.Services(Instant.now(), many)));
        assertThat(expectError(socket, ErrorCode.LIMIT_EXCEEDED, false).message()).contains("501 services");

        ServiceState controlled = new ServiceState("evil\u001b[31m.service", ServiceState.Kind.SYSTEMD,
                ServiceState.Status.RUNNING, "", "", null, null, null, null, null, false);
        socket.send(WireFormat.encode(new AgentMessage.Services(Instant.now(), List.of(controlled))));
        assertThat(expectError(socket, ErrorCode.LIMIT_EXCEEDED, false).message()).contains("control character");

        socket.send(WireFormat.encode(new AgentMessage.Report(2, Reports.report("bad\nhost", Instant.now(), 5))));
        NodeMessage.Error error = expectError(socket, ErrorCode.LIMIT_EXCEEDED, false);
        assertThat(error.sequence()).isEqualTo(2);
        assertThat(error.message()).contains("host.hostname");

        // The connection keeps working, and the counter is visible in the node's ingest counters.
        socket.send(report(3, "limits"));
        expectAck(socket, 3);
        assertThat(ingestErrors(ErrorCode.LIMIT_EXCEEDED) - before).isEqualTo(3);
        socket.close();
    }

    @Test
    void aHelloWithAControlCharacterInTheHostnameIsRefused() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(newToken(), "host\u0007name", "machine-bell"));
            expectError(socket, ErrorCode.LIMIT_EXCEEDED, true);
        }
    }

    @Test
    void aHelloWithAnOversizedOrControlCharacterMachineIdIsRefused() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(newToken(), "long-id", "m".repeat(129)));
            assertThat(expectError(socket, ErrorCode.LIMIT_EXCEEDED, true).message()).contains("machineId");
        }
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(newToken(), "bell-id", "machine\u0007id"));
            assertThat(expectError(socket, ErrorCode.LIMIT_EXCEEDED, true).message()).contains("machineId");
        }
    }

    @Test
    void reportsBeyondTheRateAreRefusedForLaterAndNotLost() {
        Enrolled enrolled = enrollAndReport("fast", "machine-fast");
        RawAgentSocket socket = enrolled.socket();
        long before = ingestErrors(ErrorCode.RATE_LIMITED);
        for (long sequence = 2; sequence <= 40; sequence++) {
            socket.send(report(sequence, "fast"));
        }
        Set<Long> acked = new HashSet<>();
        Set<Long> limited = new HashSet<>();
        for (int i = 0; i < 39; i++) {
            NodeMessage message = socket.next();
            if (message instanceof NodeMessage.Ack ack) {
                acked.add(ack.sequence());
            } else {
                NodeMessage.Error error = (NodeMessage.Error) message;
                assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(error.fatal()).isFalse();
                limited.add(error.sequence());
            }
        }
        // Burst of 20 (one token already spent on the first report): the rest is refused for later, each named.
        assertThat(limited).isNotEmpty().doesNotContainAnyElementsOf(acked);
        assertThat(acked.size() + limited.size()).isEqualTo(39);
        assertThat(ingestErrors(ErrorCode.RATE_LIMITED) - before).isEqualTo(limited.size());
        socket.close();
    }
}
