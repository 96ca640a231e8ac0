package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Smoke test on this real machine: two cycles, sane values, every family present. */
class OshiCollectorTest {

    @Test
    void twoCollectionsOnThisMachineGiveSaneValues() throws Exception {
        OshiCollector collector = new OshiCollector();
        MetricsReport first = collector.collect();
        // Give the rates a real interval; this is measurement, not synchronisation.
        Thread.sleep(300);
        MetricsReport second = collector.collect();

        for (MetricsReport report : new MetricsReport[] {first, second}) {
            assertThat(report.collectedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(report.intervalMillis()).isPositive();
            assertThat(report.host().hostname()).isNotBlank();
            assertThat(report.host().logicalCpus()).isPositive();
            assertThat(report.host().uptimeSeconds()).isPositive();
            assertThat(report.host().bootTime()).isBefore(Instant.now());
            assertThat(report.host().kernel()).isNotBlank();
            assertThat(report.cpu().percent()).isBetween(0.0, 100.0);
            assertThat(report.cpu().perCore()).hasSize(report.host().logicalCpus())
                    .allSatisfy(core -> assertThat(core).isBetween(0.0, 100.0));
            assertThat(report.cpu().load1()).isGreaterThanOrEqualTo(0.0);
            assertThat(report.memory().totalBytes()).isPositive();
            assertThat(report.memory().usedBytes()).isBetween(1L, report.memory().totalBytes());
            assertThat(report.memory().percent()).isBetween(0.1, 100.0);
            assertThat(report.filesystems()).isNotEmpty().allSatisfy(fs -> {
                assertThat(fs.totalBytes()).isPositive();
                assertThat(fs.percent()).isBetween(0.0, 100.0);
                assertThat(fs.usedBytes() + fs.freeBytes()).isEqualTo(fs.totalBytes());
            });
            assertThat(report.interfaces()).isNotEmpty().allSatisfy(nic -> {
                assertThat(nic.rxBytesPerSecond()).isGreaterThanOrEqualTo(0.0);
                assertThat(nic.txPacketsPerSecond()).isGreaterThanOrEqualTo(0.0);
            });
            assertThat(report.disks()).allSatisfy(disk ->
                    assertThat(disk.readBytesPerSecond()).isGreaterThanOrEqualTo(0.0));
            assertThat(report.processes().count()).isPositive();
            assertThat(report.processes().threadCount()).isGreaterThanOrEqualTo(report.processes().count());
            assertThat(report.processes().topByCpu()).isNotEmpty().hasSizeLessThanOrEqualTo(15);
            assertThat(report.processes().topByMemory()).isNotEmpty().hasSizeLessThanOrEqualTo(15);
            assertThat(report.processes().topByMemory().get(0).rssBytes()).isPositive();
        }
        // Ranked: the heaviest first.
        var byMemory = second.processes().topByMemory();
        assertThat(byMemory.get(0).rssBytes()).isGreaterThanOrEqualTo(byMemory.get(byMemory.size() - 1).rssBytes());
        // The second cycle's interval is the time since the first.
        assertThat(second.intervalMillis()).isGreaterThanOrEqualTo(250);
        assertThat(Duration.ofNanos(collector.lastCycleNanos())).isLessThan(Duration.ofSeconds(5));
        // It goes over the wire as is.
        String json = WireFormat.encode(new AgentMessage.Report(1, second));
        assertThat(WireFormat.decodeAgentMessage(json)).isEqualTo(new AgentMessage.Report(1, second));
    }

    @Test
    void eachRankingListsAsManyProcessesAsAskedOrAllThereAre() {
        MetricsReport three = new OshiCollector(3).collect();
        int running = three.processes().count();
        assertThat(running).isGreaterThan(3); // this JVM, its forked parent, init, ... : a real machine
        assertThat(three.processes().topByCpu()).hasSize(3);
        assertThat(three.processes().topByMemory()).hasSize(3);

        MetricsReport byDefault = new OshiCollector().collect();
        assertThat(byDefault.processes().topByCpu()).hasSize(Math.min(10, byDefault.processes().count()));
        assertThat(byDefault.processes().topByMemory()).hasSize(Math.min(10, byDefault.processes().count()));

        MetricsReport many = new OshiCollector(100).collect();
        assertThat(many.processes().topByMemory()).hasSize(Math.min(100, many.processes().count()));
        assertThatThrownBy(() -> new OshiCollector(0))
                .hasMessage("topProcesses must be between 1 and 100, got 0");
        assertThatThrownBy(() -> new OshiCollector(101))
                .hasMessage("topProcesses must be between 1 and 100, got 101");
    }

    @Test
    void aChangedTopProcessesCountAppliesFromTheNextCollection() {
        OshiCollector collector = new OshiCollector(3);
        assertThat(collector.collect().processes().topByCpu()).hasSize(3);
        collector.topProcesses(2);
        MetricsReport after = collector.collect();
        assertThat(after.processes().topByCpu()).hasSize(2);
        assertThat(after.processes().topByMemory()).hasSize(2);
        assertThatThrownBy(() -> collector.topProcesses(0))
                .hasMessage("topProcesses must be between 1 and 100, got 0");
        assertThat(collector.collect().processes().topByMemory()).hasSize(2);
    }
}
