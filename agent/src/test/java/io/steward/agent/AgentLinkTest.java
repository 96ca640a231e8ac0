package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.link.StateDirectory;
import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.retry.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents against a real WebSocket node on loopback. The schedule is set to a minute so that the only reports
 * are the one collected at start and those a test asks for with {@link Agent#collectNow()}.
 */
class AgentLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "enroll-token";

    @TempDir
    Path stateDirectory;

    private FakeNode node;

    @BeforeEach
    void startNode() {
        node = FakeNode.start().acceptEnrollmentToken(TOKEN);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private AgentSettings.Builder settings(String token) {
        return AgentSettings.builder()
                .hub(node.hub())
                .token(token)
                .interval(Duration.ofSeconds(60))
                .stateDirectory(stateDirectory)
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0));
    }

    private Agent start(String token, NumberedSource source) {
        return Agent.start(settings(token).build(), source);
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    @Test
    void enrollsSavesTheCredentialAndUsesItFromThenOn() throws Exception {
        String serverId;
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
            assertThat(agent.status().connected()).isTrue();
        }
        String credential = node.credentialOf(serverId);
        assertThat(credential).isNotNull();
        StateDirectory state = StateDirectory.open(stateDirectory);
        assertThat(state.credential()).contains(credential);
        assertThat(state.serverId()).contains(serverId);

        // Second start: no token at all; the saved credential is presented and the same server continues.
        try (Agent agent = start(null, new NumberedSource(1))) {
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(2));
            assertThat(agent.status().serverId()).isEqualTo(serverId);
        }
        List<AgentMessage.Hello> hellos = node.hellos();
        assertThat(hellos).hasSize(2);
        assertThat(hellos.get(0).token()).isEqualTo(TOKEN);
        assertThat(hellos.get(1).token()).isEqualTo(credential);
        assertThat(hellos.get(1).machineId()).isEqualTo(hellos.get(0).machineId()).isNotBlank();
        assertThat(node.storedSequences(serverId)).containsExactly(1L, 2L);
    }

    @Test
    void acknowledgedReportsLeaveTheSpoolAndUnacknowledgedOnesStay() throws Exception {
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            for (int i = 0; i < 4; i++) {
                agent.collectNow();
            }
            eventually(WAIT, () -> {
                assertThat(agent.status().lastAckedSequence()).isEqualTo(5);
                assertThat(agent.status().spooledCount()).isZero();
            });
            String serverId = agent.status().serverId();

            node.withholdAcks(true);
            for (int i = 0; i < 3; i++) {
                agent.collectNow();
            }
            eventually(WAIT, () -> assertThat(node.storedSequences(serverId)).hasSize(8));
            assertThat(agent.status().spooledCount()).isEqualTo(3);
            assertThat(agent.status().lastSentSequence()).isEqualTo(8);

            node.releaseAcks();
            eventually(WAIT, () -> {
                assertThat(agent.status().spooledCount()).isZero();
                assertThat(agent.status().lastAckedSequence()).isEqualTo(8);
            });
            assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(8));
        }
    }

    @Test
    void reportsCollectedWhileTheNodeIsDownAreReplayedInOrder() {
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));

            node.stop();
            eventually(WAIT, () -> assertThat(agent.status().connected()).isFalse());
            for (int i = 0; i < 5; i++) {
                agent.collectNow(); // collection goes on: the spool fills
            }
            assertThat(agent.status().spooledCount()).isEqualTo(5);
            assertThat(agent.status().lastError()).isNotNull();

            node.restart();
            eventually(WAIT, () -> {
                assertThat(agent.status().lastAckedSequence()).isEqualTo(6);
                assertThat(agent.status().spooledCount()).isZero();
            });
            assertThat(agent.status().connected()).isTrue();
            assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(6));
            // Replayed in order, each once: the node received 2..6 in sequence after coming back.
            assertThat(node.receivedReports(serverId)).extracting(AgentMessage.Report::sequence)
                    .isEqualTo(oneTo(6));
        }
    }

    @Test
    void anAgentRestartedMidSpoolReplaysWithoutGapsOrDuplicates() {
        NumberedSource source = new NumberedSource();
        String serverId;
        try (Agent first = start(TOKEN, source)) {
            serverId = await(WAIT, "enrollment", () -> first.status().serverId());
            eventually(WAIT, () -> assertThat(first.status().lastAckedSequence()).isEqualTo(1));
            // Stored but never acknowledged (as if the ack was lost), then the node goes away entirely.
            node.withholdAcks(true);
            first.collectNow();
            first.collectNow();
            eventually(WAIT, () -> assertThat(node.storedSequences(serverId)).hasSize(3));
            node.stop();
            first.collectNow();
            first.collectNow();
            assertThat(first.status().spooledCount()).isEqualTo(4);
        } // the agent stops with four reports in its spool

        node.restart();
        node.withholdAcks(false);
        try (Agent second = start(null, new NumberedSource(source.produced()))) {
            second.collectNow();
            eventually(WAIT, () -> {
                assertThat(second.status().lastAckedSequence()).isEqualTo(7);
                assertThat(second.status().spooledCount()).isZero();
            });
            assertThat(second.status().serverId()).isEqualTo(serverId);
        }
        assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(7));
        // Reports 2 and 3 were sent twice (stored, ack lost); the node keeps one of each.
        assertThat(node.receivedReports(serverId)).extracting(AgentMessage.Report::sequence)
                .containsExactly(1L, 2L, 3L, 2L, 3L, 4L, 5L, 6L, 7L);
        // Their content went unchanged through the spool: report n carries number n.
        assertThat(node.receivedReports(serverId)).allSatisfy(report ->
                assertThat(report.metrics().cpu().percent()).isEqualTo((double) report.sequence()));
    }

    @Test
    void sequencesContinueAboveWhatTheNodeAlreadyStored() throws Exception {
        // The state directory was lost except the credential: the node already has reports up to 1000.
        node.knownServer("srv-old", "cred-old", 1000);
        StateDirectory.open(stateDirectory).saveCredential("cred-old");
        try (Agent agent = start(null, new NumberedSource())) {
            agent.collectNow();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1002));
            assertThat(agent.status().serverId()).isEqualTo("srv-old");
        }
        assertThat(node.storedSequences("srv-old")).containsExactly(1001L, 1002L);
    }

    @Test
    void reEnrollingAKnownMachineRenumbersReportsCollectedBeforeTheWelcome() {
        // A reinstalled agent (new state directory, same machine) whose node remembers the machine and its history.
        node.rememberMachines();
        String serverId;
        try (Agent agent = Agent.start(settings(TOKEN).stateDirectory(stateDirectory.resolve("old"))
                .machineId("machine-1").build(), new NumberedSource())) {
            agent.collectNow();
            agent.collectNow();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(3));
            serverId = agent.status().serverId();
        }
        node.stop();
        try (Agent agent = Agent.start(settings(TOKEN).stateDirectory(stateDirectory.resolve("new"))
                .machineId("machine-1").build(), new NumberedSource())) {
            agent.collectNow(); // sequences 1 and 2 in the fresh spool, collected before any welcome
            node.restart();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(5));
            assertThat(agent.status().serverId()).isEqualTo(serverId);
        }
        assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(5));
    }

    @Test
    void aReportTheNodeCouldNotStoreIsSentAgain() {
        node.unavailableOnce(2);
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            agent.collectNow();
            agent.collectNow();
            eventually(WAIT, () -> {
                assertThat(node.storedSequences(serverId)).containsExactlyInAnyOrder(1L, 2L, 3L);
                assertThat(agent.status().spooledCount()).isZero();
            });
            assertThat(agent.status().lastError()).startsWith("UNAVAILABLE");
        }
    }

    @Test
    void neverMoreThanTheWindowIsInFlight() {
        node.withholdAcks(true);
        try (Agent agent = Agent.start(settings(TOKEN).window(2).build(), new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            for (int i = 0; i < 5; i++) {
                agent.collectNow();
            }
            eventually(WAIT, () -> assertThat(node.storedSequences(serverId)).hasSize(2));
            node.releaseAcks();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(6));
            assertThat(node.maximumUnacknowledged()).isLessThanOrEqualTo(2);
            assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(6));
        }
    }

    @Test
    void aNewConnectionSendsOnlyAFewReportsUntilTheNodeAcknowledges() {
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
            node.stop();
            for (int i = 0; i < 12; i++) {
                agent.collectNow(); // 2..13 wait in the spool while the node is away
            }
            node.withholdAcks(true);
            node.restart();
            // Congestion control: a connection starts with 4 in flight, not the window (128).
            eventually(WAIT, () -> assertThat(node.storedSequences(serverId)).hasSize(1 + 4));
            node.releaseAcks();
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(13));
            assertThat(node.maximumUnacknowledged()).as("slow start: 4, then at most 8").isLessThanOrEqualTo(8);
            assertThat(node.storedSequences(serverId)).isEqualTo(oneTo(13));
        }
    }

    @Test
    void aRejectedEnrollmentTokenIsReportedAndNothingIsSaved() throws Exception {
        try (Agent agent = start("wrong-token", new NumberedSource())) {
            NodeMessage.Error error = agent.enrollmentRejected().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(error.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(agent.status().connected()).isFalse();
            assertThat(agent.status().lastError()).startsWith("UNAUTHORIZED");
            assertThat(agent.status().serverId()).isNull();
            // Reports are still collected and kept for when a working credential arrives.
            assertThat(agent.status().spooledCount()).isEqualTo(1);
        }
        assertThat(StateDirectory.hasCredential(stateDirectory)).isFalse();
    }

    @Test
    void aDeletedServerDisconnectsItsAgent() {
        try (Agent agent = start(TOKEN, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
            node.deleteServer(serverId);
            eventually(WAIT, () -> {
                assertThat(agent.status().connected()).isFalse();
                assertThat(agent.status().lastError()).startsWith("SERVER_DELETED");
            });
            // Its saved credential no longer works; it retries without ever being welcomed again.
            eventually(WAIT, () -> assertThat(node.hellos()).hasSizeGreaterThan(1));
            assertThat(agent.status().connected()).isFalse();
        }
    }

    @Test
    void closingEndsTheConnectionWithANormalCloseAndKeepsTheSpool() throws Exception {
        Agent agent = start(TOKEN, new NumberedSource());
        eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isEqualTo(1));
        int before = node.normalCloses();
        agent.close();
        agent.close(); // idempotent
        eventually(WAIT, () -> assertThat(node.normalCloses()).isEqualTo(before + 1));
        assertThat(agent.status().connected()).isFalse();
        agent.collectNow(); // ignored after close
        assertThat(agent.status().spooledCount()).isZero();
        assertThat(Files.exists(stateDirectory.resolve("spool").resolve("spool.state"))).isTrue();
    }
}
