package io.steward.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.WireFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check frames between node and agent, through the wire format both sides use. */
class ChecksContractTest {
    private static final Instant T = Instant.parse("2026-12-10T12:00:00Z");

    @Test
    void anAssignmentAndABatchOfResultsRoundTrip() throws Exception {
        CheckDefinition.Http http = new CheckDefinition.Http("Shop", "https://shop.example.com/", HttpMethod.HEAD,
                Map.of("X-Probe", "steward"), List.of(200, 204), "ok", new JsonCondition("status", "ok"), true,
                null, null, null, null, new Vantages(Vantages.Kind.ALL, null), null);
        NodeMessage assign = new NodeMessage.ChecksAssign(List.of(new AssignedCheck("chk-1", http),
                new AssignedCheck("chk-2", new CheckDefinition.Dns("d", "example.com", DnsRecordType.AAAA, null, null,
                        null, null, null))));
        String json = WireFormat.encode(assign);
        assertThat(json).contains("\"type\":\"checks-assign\"").contains("\"kind\":\"http\"");
        assertThat(WireFormat.decodeNodeMessage(json)).isEqualTo(assign);

        CertificateInfo certificate = new CertificateInfo("https://shop.example.com/", "192.0.2.1", "CN=shop",
                "CN=R3", T.minusSeconds(86_400), T.plusSeconds(86_400 * 5), T.plusSeconds(86_400 * 5),
                Fingerprint.normalise("f", "ab".repeat(32)), false, "PKIX path building failed");
        AgentMessage results = new AgentMessage.CheckResults(List.of(
                new CheckResult("chk-1", T, ProbeOutcome.DOWN, FailureReason.CERTIFICATE_UNTRUSTED, "untrusted",
                        new PhaseTimings(0.5, 1.25, 8.0, null, 9.9), null, "192.0.2.1", null, List.of(certificate),
                        null),
                new CheckResult("chk-2", T, ProbeOutcome.UP, null, null, null, null, null, null, null,
                        List.of("2001:db8::1"))));
        String resultsJson = WireFormat.encode(results);
        assertThat(resultsJson).contains("\"type\":\"check-results\"").contains("\"reason\":\"certificate-untrusted\"")
                .contains("\"outcome\":\"down\"");
        assertThat(WireFormat.decodeAgentMessage(resultsJson)).isEqualTo(results);
    }

    @Test
    void aBadAssignmentIsRefusedWhenItIsRead() {
        String twice = "{\"type\":\"checks-assign\",\"checks\":["
                + "{\"id\":\"a\",\"definition\":{\"kind\":\"tcp\",\"name\":\"x\",\"host\":\"h\",\"port\":1}},"
                + "{\"id\":\"a\",\"definition\":{\"kind\":\"tcp\",\"name\":\"y\",\"host\":\"h\",\"port\":2}}]}";
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(twice))
                .isInstanceOf(WireFormat.MalformedMessageException.class).hasMessageContaining("occurs twice");
        String badInterval = "{\"type\":\"checks-assign\",\"checks\":[{\"id\":\"a\",\"definition\":{\"kind\":\"tcp\","
                + "\"name\":\"x\",\"host\":\"h\",\"port\":1,\"interval\":\"PT1S\"}}]}";
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(badInterval))
                .isInstanceOf(WireFormat.MalformedMessageException.class).hasMessageContaining("interval:");
        assertThatThrownBy(() -> new CheckResult("c", T, ProbeOutcome.DOWN, null, null, null, null, null, null, null,
                null)).hasMessageContaining("reason:");
    }
}
