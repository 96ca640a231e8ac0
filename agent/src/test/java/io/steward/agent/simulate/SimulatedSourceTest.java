package io.steward.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedSourceTest {

    @Test
    void reportsAreRealisticAndWanderWithinRange() throws Exception {
        SimulatedSource source = new SimulatedSource("sim-0042", 42);
        List<MetricsReport> reports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            reports.add(source.collect());
        }
        for (MetricsReport report : reports) {
            assertThat(report.host().hostname()).isEqualTo("sim-0042");
            assertThat(report.cpu().percent()).isBetween(0.0, 100.0);
            assertThat(report.cpu().perCore()).hasSize(report.host().logicalCpus());
            assertThat(report.memory().percent()).isBetween(0.0, 100.0);
            assertThat(report.memory().usedBytes()).isLessThanOrEqualTo(report.memory().totalBytes());
            assertThat(report.filesystems()).hasSizeBetween(2, 3)
                    .allSatisfy(fs -> assertThat(fs.percent()).isBetween(0.0, 100.0));
            assertThat(report.disks()).isNotEmpty();
            assertThat(report.interfaces()).extracting(MetricsReport.NetworkStats::name).contains("lo", "eth0");
            assertThat(report.processes().topByCpu()).hasSize(15);
            assertThat(report.processes().topByMemory()).hasSize(15);
            assertThat(report.processes().topByCpu().get(0).cpuPercent())
                    .isGreaterThanOrEqualTo(report.processes().topByCpu().get(14).cpuPercent());
        }
        // It moves: not the same CPU value every time.
        assertThat(reports.stream().mapToDouble(report -> report.cpu().percent()).distinct().count()).isGreaterThan(50);
        // And it is valid on the wire.
        AgentMessage.Report frame = new AgentMessage.Report(1, reports.get(0));
        assertThat(WireFormat.decodeAgentMessage(WireFormat.encode(frame))).isEqualTo(frame);
    }

    @Test
    void theSameSeedGivesTheSameMachine() {
        MetricsReport first = new SimulatedSource("a", 7).collect();
        MetricsReport second = new SimulatedSource("a", 7).collect();
        assertThat(first.host().logicalCpus()).isEqualTo(second.host().logicalCpus());
        assertThat(first.memory().totalBytes()).isEqualTo(second.memory().totalBytes());
        assertThat(first.filesystems()).hasSameSizeAs(second.filesystems());
    }
}
