package io.steward.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.protocol.MetricsReport.CpuStats;
import io.steward.core.protocol.MetricsReport.HostInfo;
import io.steward.core.protocol.MetricsReport.MemoryStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class WireFormatTest {

    public static MetricsReport sampleReport() {
        return new MetricsReport(
                Instant.parse("2026-11-22T10:00:00Z"),
                5000,
                new HostInfo("web-1", "Debian", "12", "6.1.0", "x86_64", "Xeon", 2,
                        Instant.parse("2026-11-01T00:00:00Z"), 3600),
                new CpuStats(12.5, List.of(10.0, 15.0), 0.5, 0.4, 0.3),
                new MemoryStats(8L << 30, 2L << 30, 6L << 30, 25.0, 0, 0, 0),
                List.of(new MetricsReport.FilesystemStats("/", "/dev/vda", "ext4", 100, 40, 60, 40.0, 10, 1, 10.0)),
                List.of(new MetricsReport.DiskStats("vda", 1024, 2048, 1, 2)),
                List.of(new MetricsReport.NetworkStats("eth0", List.of("10.0.0.2"), List.of(), "aa:bb:cc:dd:ee:ff",
                        true, 100, 200, 1, 2, 0, 0)),
                new MetricsReport.ProcessStats(80, 300, List.of(), List.of()),
                0);
    }

    @Test
    void reportRoundTripsThroughJson() throws Exception {
        AgentMessage.Report report = new AgentMessage.Report(7, sampleReport());
        String json = WireFormat.encode(report);
        assertThat(json).contains("\"type\":\"report\"").contains("\"collectedAt\":\"2026-11-22T10:00:00Z\"");
        assertThat(WireFormat.decodeAgentMessage(json)).isEqualTo(report);
    }

    @Test
    void nodeMessagesRoundTrip() throws Exception {
        for (NodeMessage message : List.of(
                new NodeMessage.Welcome(1, "srv-1", "secret", 3),
                new NodeMessage.Welcome(1, "srv-1", null, 3, List.of(), java.util.Map.of(), 2_000),
                new NodeMessage.IntervalSuggested(2_000),
                new NodeMessage.Ack(9),
                new NodeMessage.Error(ErrorCode.MALFORMED, "bad", 0, false))) {
            assertThat(WireFormat.decodeNodeMessage(WireFormat.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void aChangedIntervalSuggestionIsItsOwnFrame() throws Exception {
        String json = WireFormat.encode(new NodeMessage.IntervalSuggested(2_000));
        assertThat(json).isEqualTo("{\"type\":\"interval-suggested\",\"suggestedIntervalMillis\":2000}");
        assertThat(WireFormat.decodeNodeMessage("{\"type\":\"interval-suggested\",\"suggestedIntervalMillis\":500}"))
                .isEqualTo(new NodeMessage.IntervalSuggested(500));
        // No "does not say" here: a frame without a positive suggestion is malformed, as a negative one in a welcome.
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(
                "{\"type\":\"interval-suggested\",\"suggestedIntervalMillis\":0}"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage("{\"type\":\"interval-suggested\"}"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
        assertThatThrownBy(() -> WireFormat.decodeNodeMessage(
                "{\"type\":\"welcome\",\"serverId\":\"srv-1\",\"suggestedIntervalMillis\":-1}"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
    }

    @Test
    void helloNeverPrintsItsToken() {
        AgentMessage.Hello hello = new AgentMessage.Hello(1, "0.1", "st_secret_value", "web-1", "m-1");
        assertThat(hello.toString()).doesNotContain("st_secret_value");
    }

    @Test
    void malformedFramesAreRejectedWithAReason() {
        assertThatThrownBy(() -> WireFormat.decodeAgentMessage("{not json"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
        assertThatThrownBy(() -> WireFormat.decodeAgentMessage("{\"type\":\"launch-missiles\"}"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
        assertThatThrownBy(() -> WireFormat.decodeAgentMessage("{\"type\":\"report\",\"sequence\":0}"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
        assertThatThrownBy(() -> WireFormat.decodeAgentMessage("null"))
                .isInstanceOf(WireFormat.MalformedMessageException.class);
    }

    @Test
    void versionSupport() {
        assertThat(ProtocolVersion.isSupported(ProtocolVersion.CURRENT)).isTrue();
        assertThat(ProtocolVersion.isSupported(0)).isFalse();
        assertThat(ProtocolVersion.isSupported(ProtocolVersion.CURRENT + 1)).isFalse();
    }
}
