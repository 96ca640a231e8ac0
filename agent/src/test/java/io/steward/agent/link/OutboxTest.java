package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.link.LinkPhase.Attempt;
import io.steward.agent.link.LinkPhase.Handshaking;
import io.steward.agent.link.LinkPhase.Streaming;
import io.steward.core.testing.ManualClock;
import io.steward.core.testing.Reports;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a streaming connection writes next, on an in-memory spool. */
class OutboxTest {
    private final ManualClock clock = new ManualClock();
    private final MemorySpool spool = new MemorySpool(new SpoolBounds(Duration.ofHours(1), 1 << 20), clock);
    private final Streaming streaming = new Handshaking(new Attempt(1, false), new Connection(new QuietWebSocket()),
            null).welcomed(new Attempt(1, false), 1, null, null);

    /** No congestion limit: only the window and pauses apply. */
    private static final int NO_LIMIT = Integer.MAX_VALUE;

    private void append(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            spool.append(Reports.numbered(i, clock.instant()));
        }
    }

    private static long sequenceOf(Outbox.Outgoing outgoing) {
        return ((Outbox.Report) outgoing).report().sequence();
    }

    @Test
    void liveFramesGoFirstAndOnlyTheNewestServiceStateIsKept() throws Exception {
        append(1);
        Outbox outbox = new Outbox(spool, 8);
        outbox.queueLive("{\"type\":\"services\",\"old\":true}", true);
        outbox.queueLive("{\"type\":\"command-result\"}", false);
        outbox.queueLive("{\"type\":\"services\",\"new\":true}", true);
        assertThat(outbox.next(streaming, NO_LIMIT)).isEqualTo(new Outbox.Live("{\"type\":\"command-result\"}"));
        assertThat(outbox.next(streaming, NO_LIMIT))
                .isEqualTo(new Outbox.Live("{\"type\":\"services\",\"new\":true}"));
        assertThat(sequenceOf(outbox.next(streaming, NO_LIMIT))).isEqualTo(1);
    }

    @Test
    void noMoreReportsThanTheCongestionLimitAreInFlightButLiveFramesStillGo() throws Exception {
        append(5);
        Outbox outbox = new Outbox(spool, 8);
        streaming.inFlight().sent(1, 0);
        streaming.inFlight().sent(2, 0);
        assertThat(outbox.next(streaming.withCursor(3), 2)).as("two in flight, two allowed").isNull();
        outbox.queueLive("{\"type\":\"command-result\"}", false);
        assertThat(outbox.next(streaming.withCursor(3), 2)).isInstanceOf(Outbox.Live.class);
        assertThat(sequenceOf(outbox.next(streaming.withCursor(3), 3))).isEqualTo(3);
    }

    @Test
    void reportsInFlightAreSkippedAndTheWindowIsNeverExceeded() throws Exception {
        append(5);
        Outbox outbox = new Outbox(spool, 3);
        streaming.inFlight().sent(1, 0);
        streaming.inFlight().sent(2, 0);
        assertThat(sequenceOf(outbox.next(streaming, NO_LIMIT))).isEqualTo(3);
        streaming.inFlight().sent(3, 0);
        // 1, 2, 3 unacknowledged: the window is full
        assertThat(outbox.next(streaming.withCursor(4), NO_LIMIT)).isNull();
        spool.acknowledge(1);
        streaming.inFlight().answered(1);
        assertThat(sequenceOf(outbox.next(streaming.withCursor(4), NO_LIMIT))).isEqualTo(4);
    }

    @Test
    void whileReportsArePausedOnlyLiveFramesGo() throws Exception {
        append(2);
        Outbox outbox = new Outbox(spool, 8);
        Streaming paused = streaming.withResend(Resend.NONE.pause());
        outbox.queueLive("{\"type\":\"command-result\"}", false);
        assertThat(outbox.next(paused, NO_LIMIT)).isInstanceOf(Outbox.Live.class);
        assertThat(outbox.next(paused, NO_LIMIT)).isNull();
        assertThat(sequenceOf(outbox.next(paused.withResend(paused.resend().resume()), NO_LIMIT))).isEqualTo(1);
    }

    @Test
    void dueCheckResultsGoAfterLiveFramesAndBeforeReportsEvenWhileReportsArePaused() throws Exception {
        append(1);
        ArrayDeque<String> due = new ArrayDeque<>(List.of(
                "{\"type\":\"check-results\",\"n\":1}", "{\"type\":\"check-results\",\"n\":2}"));
        Outbox outbox = new Outbox(spool, 8, due::pollFirst);
        outbox.queueLive("{\"type\":\"command-result\"}", false);
        Streaming paused = streaming.withResend(Resend.NONE.pause());
        assertThat(outbox.next(paused, NO_LIMIT)).isEqualTo(new Outbox.Live("{\"type\":\"command-result\"}"));
        assertThat(outbox.next(paused, NO_LIMIT)).isEqualTo(new Outbox.Live("{\"type\":\"check-results\",\"n\":1}"));
        assertThat(outbox.next(paused, NO_LIMIT)).isEqualTo(new Outbox.Live("{\"type\":\"check-results\",\"n\":2}"));
        assertThat(outbox.next(paused, NO_LIMIT)).isNull();
        assertThat(sequenceOf(outbox.next(streaming, NO_LIMIT))).isEqualTo(1);
    }
}
