package io.steward.agent.checks;

import static io.steward.core.testing.Eventually.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.checks.CheckResult;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.checks.ProbeOutcome;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How results become frames: when a frame is due, what it carries, the bound, and dropping while disconnected. */
class ResultBatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final AtomicInteger due = new AtomicInteger();
    private volatile Boolean reachable;
    private final ResultBatcher batcher = new ResultBatcher(connected::get, () -> reachable, due::incrementAndGet,
            scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static CheckResult up(int number) {
        return new CheckResult("c" + number, Instant.now(), ProbeOutcome.UP, null, null, PhaseTimings.NONE, 200,
                "127.0.0.1", null, null, null);
    }

    private AgentMessage.CheckResults next() {
        String frame = batcher.nextFrame();
        return frame == null ? null : decode(frame);
    }

    private static AgentMessage.CheckResults decode(String frame) {
        try {
            return (AgentMessage.CheckResults) WireFormat.decodeAgentMessage(frame);
        } catch (WireFormat.MalformedMessageException e) {
            throw new AssertionError("the batcher wrote a frame the node cannot read: " + e.getMessage(), e);
        }
    }

    private static List<String> ids(AgentMessage.CheckResults frame) {
        return frame.results().stream().map(CheckResult::checkId).toList();
    }

    @Test
    void aHundredResultsAreDueAtOnceAndFewerOneSecondAfterTheFirst() {
        for (int i = 0; i < 150; i++) {
            batcher.add(up(i));
        }
        assertThat(due.get()).as("due at the hundredth result, without waiting").isEqualTo(1);
        assertThat(next().results()).hasSize(100);
        assertThat(next().results()).hasSize(50); // the rest goes on the next pull: it is late already
        assertThat(batcher.nextFrame()).isNull();

        long added = System.nanoTime();
        batcher.add(up(150));
        assertThat(due.get()).isEqualTo(1);
        assertThat(batcher.nextFrame()).as("not due before the delay").isNull();
        eventually(WAIT, () -> assertThat(due.get()).isEqualTo(2));
        assertThat(Duration.ofNanos(System.nanoTime() - added)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        AgentMessage.CheckResults frame = next();
        assertThat(ids(frame)).containsExactly("c150");
        assertThat(frame.referenceReachable()).isNull();
        assertThat(frame.refused()).isEmpty();
        assertThat(batcher.counts()).isEqualTo(new ResultBatcher.Counts(3, 151, 0, 0));
    }

    @Test
    void theBufferKeepsTheNewestTwoThousandWhenTheLinkCannotKeepUp() {
        for (int i = 0; i < ResultBatcher.CAPACITY + 100; i++) {
            batcher.add(up(i));
        }
        assertThat(batcher.counts().droppedOverflow()).isEqualTo(100);
        List<String> sent = new ArrayList<>();
        for (AgentMessage.CheckResults frame = next(); frame != null; frame = next()) {
            sent.addAll(ids(frame));
        }
        assertThat(sent).hasSize(ResultBatcher.CAPACITY).startsWith("c100").endsWith("c2099");
    }

    @Test
    void resultsProducedWhileDisconnectedAreDroppedWithWhateverWaitedAndCounted() {
        batcher.add(up(1));
        batcher.add(up(2));
        connected.set(false);
        batcher.add(up(3));
        assertThat(batcher.counts().droppedWhileDisconnected()).isEqualTo(3);
        connected.set(true);
        assertThat(batcher.nextFrame()).isNull();
        batcher.add(up(4));
        eventually(WAIT, () -> assertThat(ids(next())).containsExactly("c4"));
    }

    @Test
    void aRefusalGoesOutAtOnceAndStaysInEveryFrameUntilAnAssignmentChangesIt() {
        reachable = false;
        batcher.refused(List.of("x", "y"));
        assertThat(due.get()).isEqualTo(1);
        AgentMessage.CheckResults refusal = next();
        assertThat(refusal.results()).isEmpty();
        assertThat(refusal.refused()).containsExactly("x", "y");
        assertThat(refusal.referenceReachable()).isFalse();
        assertThat(batcher.nextFrame()).isNull();

        for (int i = 0; i < 100; i++) {
            batcher.add(up(i));
        }
        assertThat(next().refused()).containsExactly("x", "y");

        batcher.refused(List.of());
        AgentMessage.CheckResults cleared = next();
        assertThat(cleared.refused()).isEmpty();
        assertThat(cleared.results()).isEmpty();
        int before = due.get();
        batcher.refused(List.of());
        assertThat(due.get()).as("nothing refused before or now: no frame").isEqualTo(before);
        assertThat(batcher.nextFrame()).isNull();
    }

    @Test
    void aBatchTooLargeForOneFrameIsSplit() {
        // Failure excerpts of control characters: each byte becomes six characters of JSON.
        String excerpt = "\u0001".repeat(CheckResult.MAX_EXCERPT_BYTES);
        for (int i = 0; i < 100; i++) {
            batcher.add(new CheckResult("c" + i, Instant.now(), ProbeOutcome.DOWN, FailureReason.STATUS,
                    "status 500, expected 200", PhaseTimings.NONE, 500, "127.0.0.1", excerpt, null, null));
        }
        List<String> sent = new ArrayList<>();
        int frames = 0;
        for (String frame = batcher.nextFrame(); frame != null; frame = batcher.nextFrame()) {
            assertThat(frame.getBytes(UTF_8).length).isLessThanOrEqualTo(ResultBatcher.MAX_FRAME_BYTES);
            sent.addAll(ids(decode(frame)));
            frames++;
        }
        assertThat(frames).isGreaterThan(1);
        assertThat(sent).hasSize(100).startsWith("c0").endsWith("c99");
    }
}
