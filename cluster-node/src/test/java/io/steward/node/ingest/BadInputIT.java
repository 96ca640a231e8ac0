package io.steward.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Reports;
import io.steward.node.StewardNode;
import io.steward.node.auth.Secrets;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything an agent can get wrong gets a clear error frame, is counted, stores nothing, and the node stays up;
 * a wrong clock costs no data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    @TempDir
    static Path dataDir;
    private StewardNode node;
    private ApiClient api;

    @BeforeAll
    void startNode() throws Exception {
        node = StewardNode.start(TestNodes.h2(dataDir));
        api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    private static String hello(String token, int version) {
        return WireFormat.encode(new AgentMessage.Hello(version, "test", token, "bad-input-host", null));
    }

    private static String report(long sequence) {
        return WireFormat.encode(new AgentMessage.Report(sequence, Reports.report("bad-input-host", Instant.now(), 5)));
    }

    private static NodeMessage.Error expectError(RawAgentSocket socket, ErrorCode code, boolean fatal) {
        NodeMessage message = socket.next();
        assertThat(message).isInstanceOf(NodeMessage.Error.class);
        NodeMessage.Error error = (NodeMessage.Error) message;
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.fatal()).isEqualTo(fatal);
        assertThat(error.message()).isNotBlank();
        return error;
    }

    @Test
    void unknownCredentialIsRefusedAndTheConnectionClosed() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(Secrets.generate(Secrets.CREDENTIAL_PREFIX), ProtocolVersion.CURRENT));
            expectError(socket, ErrorCode.UNAUTHORIZED, true);
            assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void garbageTokenIsRefused() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello("letmein", ProtocolVersion.CURRENT));
            expectError(socket, ErrorCode.UNAUTHORIZED, true);
        }
    }

    @Test
    void wrongProtocolVersionIsRefusedBeforeAuthentication() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(api.enrollmentToken(), ProtocolVersion.CURRENT + 41));
            NodeMessage.Error error = expectError(socket, ErrorCode.UNSUPPORTED_VERSION, true);
            assertThat(error.message()).contains(String.valueOf(ProtocolVersion.CURRENT + 41));
            assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void expiredEnrollmentTokenIsRefusedAndEnrollsNothing() throws Exception {
        String token = Secrets.generate(Secrets.ENROLLMENT_PREFIX);
        try (Connection connection = node.database().dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO enrollment_tokens(token_hash, created_by, created_at, expires_at, max_uses, uses)"
                                + " VALUES (?, 'test', ?, ?, 10, 0)")) {
            insert.setString(1, Secrets.hash(token));
            insert.setLong(2, Instant.now().minusSeconds(7200).toEpochMilli());
            insert.setLong(3, Instant.now().minusSeconds(3600).toEpochMilli());
            insert.executeUpdate();
        }
        int serversBefore = node.credentials().serverIds().size();
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(token, ProtocolVersion.CURRENT));
            NodeMessage.Error error = expectError(socket, ErrorCode.ENROLLMENT_EXPIRED, true);
            assertThat(error.message()).contains("expired");
        }
        assertThat(node.credentials().serverIds()).hasSize(serversBefore);
    }

    /** Changed by "secure by default": a used-up token no longer re-enrolls even its own machine (a takeover). */
    @Test
    void aUsedUpTokenEnrollsNoMachineAgainNotEvenItsOwn() throws Exception {
        String token = api.post("/api/enrollment-tokens", "{\"maxUses\":1}").json().get("token").asText();
        String first;
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, "once",
                    "machine-once")));
            first = ((NodeMessage.Welcome) socket.next()).serverId();
        }
        // The same machine again: whoever knows its machine id could present it, so the token must have a use left.
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, "once",
                    "machine-once")));
            assertThat(expectError(socket, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
        assertThat(node.credentials().serverIds()).contains(first);
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, "twice",
                    "machine-other")));
            assertThat(expectError(socket, ErrorCode.ENROLLMENT_EXPIRED, true).message()).contains("used up");
        }
    }

    @Test
    void reportBeforeHelloIsRefused() {
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(report(1));
            expectError(socket, ErrorCode.NOT_AUTHENTICATED, true);
            assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void badFramesAfterHelloAreRefusedOneByOneAndTheConnectionKeepsWorking() throws Exception {
        long malformedBefore = node.ingestCounters().errors(ErrorCode.MALFORMED);
        long oversizeBefore = node.ingestCounters().errors(ErrorCode.FRAME_TOO_LARGE);
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(hello(api.enrollmentToken(), ProtocolVersion.CURRENT));
            NodeMessage.Welcome welcome = (NodeMessage.Welcome) socket.next();
            assertThat(welcome.credential()).startsWith(Secrets.CREDENTIAL_PREFIX);
            String serverId = welcome.serverId();

            socket.send("{\"type\":\"report\",\"sequence\":");
            expectError(socket, ErrorCode.MALFORMED, false);

            socket.send("{\"type\":\"report\",\"sequence\":7}");
            expectError(socket, ErrorCode.MALFORMED, false);

            String huge = report(8).replace("\"hostname\":\"bad-input-host\"",
                    "\"hostname\":\"" + "x".repeat(2 * 1024 * 1024) + "\"");
            socket.send(huge);
            NodeMessage.Error tooLarge = expectError(socket, ErrorCode.FRAME_TOO_LARGE, false);
            assertThat(tooLarge.message()).contains("exceeds the limit");

            socket.sendFragmented(huge, 5);
            expectError(socket, ErrorCode.FRAME_TOO_LARGE, false);

            socket.sendBinary(new byte[] {1, 2, 3});
            expectError(socket, ErrorCode.MALFORMED, false);

            // Check results beyond their bounds (an address longer than its column): refused, the connection lives
            // on.
            socket.send(WireFormat.encode(new AgentMessage.CheckResults(List.of(new io.steward.core.checks.CheckResult(
                    "site-abc123", java.time.Instant.now(), io.steward.core.checks.ProbeOutcome.DOWN,
                    io.steward.core.checks.FailureReason.CONNECT_REFUSED, "refused", null, null, "a".repeat(100),
                    null, null, null)))));
            assertThat(expectError(socket, ErrorCode.LIMIT_EXCEEDED, false).message()).contains("resolvedAddress");

            // The same connection still works: a good report is stored and acknowledged.
            socket.send(report(9));
            assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(9));

            // A report from a clock a day ahead is not lost: it is stored at the node's receive time.
            long skewedBefore = node.ingestCounters().reportsClockSkewed();
            // The store keeps milliseconds: a bound with nanoseconds could sit after the stored time.
            Instant beforeSend = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            socket.send(WireFormat.encode(new AgentMessage.Report(10,
                    Reports.report("bad-input-host", Instant.now().plus(Duration.ofDays(1)), 5))));
            assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(10));
            assertThat(node.ingestCounters().reportsClockSkewed() - skewedBefore).isEqualTo(1);
            Instant storedAt = node.metrics().latest(serverId).toCompletableFuture().get().orElseThrow().collectedAt();
            assertThat(storedAt).isBetween(beforeSend, Instant.now());

            assertThat(node.metrics().storedSequences(serverId).toCompletableFuture().get())
                    .containsExactly(9L, 10L);
        }
        assertThat(node.ingestCounters().errors(ErrorCode.MALFORMED) - malformedBefore).isEqualTo(3);
        assertThat(node.ingestCounters().errors(ErrorCode.FRAME_TOO_LARGE) - oversizeBefore).isEqualTo(2);
        assertThat(api.get("/healthz").status()).isEqualTo(200);
    }
}
