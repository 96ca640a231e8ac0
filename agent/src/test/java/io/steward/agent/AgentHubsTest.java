package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.retry.Backoff;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent with several hubs against real WebSocket nodes of one cluster on loopback ({@link FakeNode#startPeer()}:
 * they share credentials and stored reports, as real nodes share their database). The schedule is set to a minute so
 * that the only reports are the one collected at start and those a test asks for with {@link Agent#collectNow()}.
 */
class AgentHubsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "enroll-token";
    /** Long enough that an agent backing off instead of moving on would miss every deadline below. */
    private static final Backoff SLOW_BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 2.0);

    @TempDir
    Path stateDirectory;

    private AgentSettings.Builder settings(List<URI> hubs) {
        return AgentSettings.builder()
                .hubs(hubs)
                .token(TOKEN)
                .interval(Duration.ofSeconds(60))
                .stateDirectory(stateDirectory)
                .reconnectBackoff(SLOW_BACKOFF);
    }

    private static List<Long> sequences(List<AgentMessage.Report> reports) {
        return reports.stream().map(AgentMessage.Report::sequence).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void whenItsHubGoesTheAgentMovesToTheNextAtOnceAndItsReportsContinueWithoutGapOrDuplicate() {
        try (FakeNode first = FakeNode.start().acceptEnrollmentToken(TOKEN);
                FakeNode second = first.startPeer();
                Agent agent = Agent.start(settings(List.of(first.hub(), second.hub())).build(), new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            agent.collectNow();
            agent.collectNow();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(3));
            assertThat(agent.status().hub()).isEqualTo(first.hub());
            // Two reports the cluster stores but whose acks never reach the agent: in flight when the hub goes.
            first.withholdAcks(true);
            agent.collectNow();
            agent.collectNow();
            eventually(WAIT, () -> assertThat(first.storedSequences(serverId)).hasSize(5));

            first.stop();
            agent.collectNow(); // collected between hubs: it waits in the spool
            // On the second hub within 3.5 s: at once, after at most 1 s of jitter, not after the 5 s backoff (the
            // rest of the 3.5 s is for a loaded machine).
            eventually(Duration.ofMillis(3_500), () -> {
                assertThat(agent.status().connected()).isTrue();
                assertThat(agent.status().hub()).isEqualTo(second.hub());
            });
            agent.collectNow();
            agent.collectNow();
            eventually(WAIT, () -> {
                assertThat(agent.status().lastAckedSequence()).isEqualTo(8);
                assertThat(agent.status().spooledCount()).isZero();
            });

            // The cluster stored every report once; the second hub got the unacknowledged ones again, then the rest,
            // each once and in order. (Report 6 may have reached the first hub as it went: then it too was
            // unacknowledged.)
            assertThat(second.storedSequences(serverId)).isEqualTo(range(1, 8));
            assertThat(sequences(first.receivedReports(serverId))).isIn(range(1, 5), range(1, 6));
            assertThat(sequences(second.receivedReports(serverId))).isEqualTo(range(4, 8));
            // Enrolled on the first hub, its credential works on the second.
            assertThat(second.hellos()).extracting(AgentMessage.Hello::token)
                    .containsExactly(first.credentialOf(serverId));
            // Nodes that name no hubs leave nothing to remember.
            assertThat(stateDirectory.resolve("hubs")).doesNotExist();
        }
    }

    @Test
    void aHubAWelcomeNamesIsRememberedAndFoundAfterARestartWhoseOnlyConfiguredHubIsDown() throws Exception {
        try (FakeNode first = FakeNode.start().acceptEnrollmentToken(TOKEN); FakeNode third = first.startPeer()) {
            first.announceHubs(List.of(first.hub(), third.hub()));
            String serverId;
            try (Agent agent = Agent.start(settings(List.of(first.hub())).build(), new NumberedSource())) {
                serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
                eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
            }
            assertThat(Files.readAllLines(stateDirectory.resolve("hubs")))
                    .containsExactly(first.hub().toString(), third.hub().toString());

            first.stop();
            try (Agent agent = Agent.start(settings(List.of(first.hub())).token(null).build(),
                    new NumberedSource(1))) {
                eventually(Duration.ofSeconds(5), () -> {
                    assertThat(agent.status().connected()).isTrue();
                    assertThat(agent.status().hub()).isEqualTo(third.hub());
                    assertThat(agent.status().lastAckedSequence()).isEqualTo(2);
                });
            }
            assertThat(third.storedSequences(serverId)).isEqualTo(range(1, 2));
            assertThat(sequences(third.receivedReports(serverId))).containsExactly(2L);
        }
    }

    /** One hello a node received: which node, and when. */
    private record Attempt(FakeNode node, long nanos) {}

    private static List<Attempt> attempts(FakeNode... nodes) {
        List<Attempt> attempts = new ArrayList<>();
        for (FakeNode node : nodes) {
            node.helloTimes().forEach(nanos -> attempts.add(new Attempt(node, nanos)));
        }
        attempts.sort(Comparator.comparingLong(Attempt::nanos));
        return attempts;
    }

    private static Duration gap(List<Attempt> attempts, int index) {
        return Duration.ofNanos(attempts.get(index + 1).nanos() - attempts.get(index).nanos());
    }

    @Test
    void onlyAFullRoundOfFailedHubsBacksOff() {
        // 3 s: not above Reconnects.PASSING_CAP, so used as is after UNAVAILABLE (a passing refusal); a longer one
        // would be replaced by a random 1.5 to 3 s.
        Backoff threeSeconds = new Backoff(Duration.ofSeconds(3), Duration.ofSeconds(3), 2.0);
        try (FakeNode first = FakeNode.start().refuseHellos(ErrorCode.UNAVAILABLE);
                FakeNode second = first.startPeer().refuseHellos(ErrorCode.UNAVAILABLE)) {
            try (Agent agent = Agent.start(settings(List.of(first.hub(), second.hub())).reconnectBackoff(threeSeconds)
                    .build(), new NumberedSource())) {
                eventually(WAIT, () -> assertThat(attempts(first, second)).hasSizeGreaterThanOrEqualTo(5));
            }
            List<Attempt> attempts = attempts(first, second);
            assertThat(attempts.subList(0, 5)).extracting(Attempt::node)
                    .containsExactly(first, second, first, second, first);
            // Within a round the next hub follows at once (at most 1 s of jitter, the rest for a loaded machine);
            // between rounds, the backoff.
            assertThat(gap(attempts, 0)).isLessThan(Duration.ofMillis(2_500));
            assertThat(gap(attempts, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(gap(attempts, 2)).isLessThan(Duration.ofMillis(2_500));
            assertThat(gap(attempts, 3)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void aRefusalEveryNodeWouldRepeatIsNotTakenToTheNextHubAtOnce() {
        Backoff maximumTwoSeconds = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);
        try (FakeNode first = FakeNode.start().refuseHellos(ErrorCode.SERVER_DELETED);
                FakeNode second = first.startPeer().refuseHellos(ErrorCode.SERVER_DELETED)) {
            try (Agent agent = Agent.start(settings(List.of(first.hub(), second.hub()))
                    .reconnectBackoff(maximumTwoSeconds).build(), new NumberedSource())) {
                eventually(WAIT, () -> assertThat(attempts(first, second)).hasSizeGreaterThanOrEqualTo(3));
            }
            List<Attempt> attempts = attempts(first, second);
            // As with one hub: the maximum wait before every attempt, wherever it goes.
            assertThat(gap(attempts, 0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(gap(attempts, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }
}
