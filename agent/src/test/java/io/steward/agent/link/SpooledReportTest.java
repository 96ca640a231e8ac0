package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Reports;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpooledReportTest {

    @Test
    void theFrameBuiltFromStoredJsonIsTheWireReport() throws Exception {
        var metrics = Reports.numbered(7, Instant.parse("2026-11-22T10:00:00Z"));
        SpooledReport spooled = new SpooledReport(42, WireFormat.mapper().writeValueAsString(metrics));
        assertThat(WireFormat.decodeAgentMessage(spooled.frame())).isEqualTo(new AgentMessage.Report(42, metrics));
    }
}
