package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every spool must do; run against the disk and the in-memory spool. */
abstract class SpoolContract {
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
    private int produced;

    /** A fresh, empty spool with these bounds, reading time from {@link #clock}. */
    protected abstract Spool open(SpoolBounds bounds) throws Exception;

    protected static SpoolBounds roomy() {
        return new SpoolBounds(Duration.ofHours(24), 100L << 20);
    }

    protected MetricsReport report() {
        return Reports.numbered(++produced, clock.instant());
    }

    protected static double numberOf(SpooledReport spooled) throws Exception {
        return decode(spooled).metrics().cpu().percent();
    }

    protected static AgentMessage.Report decode(SpooledReport spooled) throws Exception {
        return (AgentMessage.Report) WireFormat.decodeAgentMessage(spooled.frame());
    }

    protected static List<Long> pendingSequences(Spool spool) throws Exception {
        List<Long> sequences = new ArrayList<>();
        for (SpooledReport next = spool.next(0); next != null; next = spool.next(next.sequence() + 1)) {
            sequences.add(next.sequence());
        }
        return sequences;
    }

    @Test
    void appendsGetIncreasingSequencesAndAreReadInOrder() throws Exception {
        try (Spool spool = open(roomy())) {
            assertThat(spool.nextSequence()).isEqualTo(1);
            assertThat(spool.firstPendingSequence()).isEqualTo(1);
            for (int i = 1; i <= 5; i++) {
                assertThat(spool.append(report())).isEqualTo(i);
            }
            assertThat(pendingSequences(spool)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(spool.pendingCount()).isEqualTo(5);
            SpooledReport third = spool.next(3);
            assertThat(third.sequence()).isEqualTo(3);
            assertThat(numberOf(third)).isEqualTo(3.0);
            // The frame is exactly what the node decodes.
            assertThat(decode(third).sequence()).isEqualTo(3);
            assertThat(spool.next(6)).isNull();
        }
    }

    @Test
    void acknowledgedReportsLeaveEvenOutOfOrder() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 5; i++) {
                spool.append(report());
            }
            spool.acknowledge(2);
            spool.acknowledge(1);
            spool.acknowledge(4);
            spool.acknowledge(4); // twice: ignored
            spool.acknowledge(99); // unknown: ignored
            assertThat(pendingSequences(spool)).containsExactly(3L, 5L);
            assertThat(spool.firstPendingSequence()).isEqualTo(3);
            assertThat(spool.pendingCount()).isEqualTo(2);
            spool.acknowledge(3);
            spool.acknowledge(5);
            assertThat(spool.pendingCount()).isZero();
            assertThat(spool.next(0)).isNull();
            assertThat(spool.firstPendingSequence()).isEqualTo(6);
            assertThat(spool.append(report())).isEqualTo(6);
        }
    }

    @Test
    void aRefusedReportIsDroppedAndCountedInTheNextReport() throws Exception {
        try (Spool spool = open(roomy())) {
            spool.append(report());
            spool.append(report());
            spool.reject(1);
            assertThat(spool.droppedCount()).isEqualTo(1);
            assertThat(pendingSequences(spool)).containsExactly(2L);
            long next = spool.append(report());
            assertThat(decode(spool.next(next)).metrics().droppedReports()).isEqualTo(1);
            long after = spool.append(report());
            assertThat(decode(spool.next(after)).metrics().droppedReports()).isZero();
        }
    }

    @Test
    void rebaseMovesPendingReportsAboveTheFloorInOrder() throws Exception {
        try (Spool spool = open(roomy())) {
            for (int i = 0; i < 4; i++) {
                spool.append(report());
            }
            spool.acknowledge(1);
            assertThat(spool.rebaseAbove(1)).isFalse(); // nothing pending at or below 1: no collision
            assertThat(spool.rebaseAbove(1000)).isTrue();
            assertThat(pendingSequences(spool)).containsExactly(1001L, 1002L, 1003L);
            assertThat(numberOf(spool.next(1001))).isEqualTo(2.0);
            assertThat(numberOf(spool.next(1003))).isEqualTo(4.0);
            assertThat(spool.nextSequence()).isEqualTo(1004);
            assertThat(spool.append(report())).isEqualTo(1004);
            spool.acknowledge(1001);
            assertThat(spool.firstPendingSequence()).isEqualTo(1002);
        }
    }

    @Test
    void rebaseWithNothingPendingMovesTheNextSequence() throws Exception {
        try (Spool spool = open(roomy())) {
            spool.append(report());
            spool.acknowledge(1);
            assertThat(spool.rebaseAbove(500)).isTrue();
            assertThat(spool.pendingCount()).isZero();
            assertThat(spool.append(report())).isEqualTo(501);
        }
    }

    @Test
    void overTheAgeBoundTheOldestAreDroppedAndReportedOnce() throws Exception {
        try (Spool spool = open(new SpoolBounds(Duration.ofMinutes(10), 100L << 20))) {
            for (int i = 0; i < 40; i++) {
                spool.append(report());
                clock.advance(Duration.ofMinutes(1));
            }
            long dropped = spool.droppedCount();
            assertThat(dropped).isPositive();
            List<Long> pending = pendingSequences(spool);
            // The newest survive, contiguous up to the last one; nothing younger than the bound was dropped.
            assertThat(pending.get(pending.size() - 1)).isEqualTo(40);
            assertThat(pending).hasSize((int) (40 - dropped));
            assertThat(pending.get(0)).isEqualTo(dropped + 1);
            assertThat(pending.size()).isGreaterThanOrEqualTo(10);
            assertDropsReportedExactlyOnce(spool);
        }
    }

    @Test
    void overTheSizeBoundTheOldestAreDroppedAndReportedOnce() throws Exception {
        int reportBytes = encodedSize();
        try (Spool spool = open(new SpoolBounds(Duration.ofDays(1), 64L << 10))) {
            int count = 4 * (64 << 10) / reportBytes;
            for (int i = 0; i < count; i++) {
                spool.append(report());
            }
            long dropped = spool.droppedCount();
            assertThat(dropped).isPositive();
            List<Long> pending = pendingSequences(spool);
            assertThat(pending.get(pending.size() - 1)).isEqualTo(count);
            assertThat(pending.get(0)).isEqualTo(dropped + 1);
            assertThat((long) pending.size() * reportBytes).isLessThanOrEqualTo(64L << 10);
            assertDropsReportedExactlyOnce(spool);
        }
    }

    private int encodedSize() throws Exception {
        return WireFormat.mapper().writeValueAsString(Reports.numbered(1, clock.instant())).length();
    }

    /** Acknowledges everything, then the sum of droppedReports sent plus the next report's equals the drops. */
    private void assertDropsReportedExactlyOnce(Spool spool) throws Exception {
        long reported = 0;
        for (SpooledReport next = spool.next(0); next != null; next = spool.next(next.sequence() + 1)) {
            reported += decode(next).metrics().droppedReports();
            spool.acknowledge(next.sequence());
        }
        long last = spool.append(report());
        reported += decode(spool.next(last)).metrics().droppedReports();
        assertThat(reported).isEqualTo(spool.droppedCount());
    }
}
