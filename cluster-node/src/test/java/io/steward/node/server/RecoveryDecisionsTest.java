package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.services.RecoveryPolicy;
import io.steward.core.services.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The restart policy's decisions, without an actor system. */
class RecoveryDecisionsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final RecoveryPolicy POLICY = new RecoveryPolicy(3,
            List.of(Duration.ofSeconds(10), Duration.ofSeconds(30)), 2, Duration.ofHours(1));
    private static final RecoveryDecisions.Situation CONNECTED =
            new RecoveryDecisions.Situation(true, true, false, false, null);

    private static ServiceState check(ServiceState.Status status, boolean controllable) {
        return new ServiceState("worker", ServiceState.Kind.PROCESS, status, "exited", null, null, null, null, null,
                null, controllable);
    }

    private static RecoveryDecisions.Decision decide(ServiceState.Status status, ServiceBook.Recovery recovery,
            RecoveryDecisions.Situation situation) {
        return RecoveryDecisions.onCheck(check(status, true), recovery, situation, POLICY, NOW, () -> "cmd-1");
    }

    @Test
    void aServiceThatGoesDownIsRestartedAtOnce() {
        RecoveryDecisions.Decision decision = decide(ServiceState.Status.DOWN, ServiceBook.Recovery.IDLE, CONNECTED);
        assertThat(decision.events()).containsExactly(new ServiceEvent.WentDown("worker", "exited", NOW),
                new ServiceEvent.RestartAttempted("worker", 1, "cmd-1", NOW));
        assertThat(decision.restartCommandId()).isEqualTo("cmd-1");
        assertThat(decision.phase()).isEqualTo(ServiceBook.Phase.IN_FLIGHT);
    }

    @Test
    void peopleAutoRestartOffAnUncontrollableServiceOrAnAbsentAgentMeanNoRestart() {
        for (RecoveryDecisions.Situation situation : List.of(
                new RecoveryDecisions.Situation(false, true, false, false, null),
                new RecoveryDecisions.Situation(true, false, false, false, null),
                new RecoveryDecisions.Situation(true, true, true, false, null))) {
            RecoveryDecisions.Decision decision = decide(ServiceState.Status.DOWN, ServiceBook.Recovery.IDLE,
                    situation);
            assertThat(decision.events()).as(situation.toString())
                    .containsExactly(new ServiceEvent.WentDown("worker", "exited", NOW));
            assertThat(decision.restartCommandId()).isNull();
        }
        RecoveryDecisions.Decision uncontrollable = RecoveryDecisions.onCheck(
                check(ServiceState.Status.DOWN, false), ServiceBook.Recovery.IDLE, CONNECTED, POLICY, NOW,
                () -> "cmd-1");
        assertThat(uncontrollable.restartCommandId()).isNull();
    }

    @Test
    void aServiceRestartedTooOftenIsLeftDownAsFlapping() {
        ServiceBook.Recovery flappy = new ServiceBook.Recovery(ServiceBook.Phase.IDLE, 0, null, null, null, null,
                List.of(NOW.minusSeconds(600), NOW.minusSeconds(300)));
        RecoveryDecisions.Decision decision = decide(ServiceState.Status.DOWN, flappy, CONNECTED);
        assertThat(decision.events()).containsExactly(new ServiceEvent.WentDown("worker", "exited", NOW),
                new ServiceEvent.Flapping("worker", 2, NOW));
        assertThat(decision.phase()).isEqualTo(ServiceBook.Phase.FLAPPING);
        assertThat(decision.restartCommandId()).isNull();
    }

    @Test
    void aRestartLostWithAnEarlierIncarnationCountsAsAFailedAttemptWithBackoff() {
        ServiceBook.Recovery inFlight = new ServiceBook.Recovery(ServiceBook.Phase.IN_FLIGHT, 1, NOW.minusSeconds(5),
                null, "cmd-0", null, List.of());
        RecoveryDecisions.Decision decision = decide(ServiceState.Status.DOWN, inFlight, CONNECTED);
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(ServiceEvent.RestartFailed.class,
                failed -> {
                    assertThat(failed.reason()).contains("node restarted");
                    assertThat(failed.nextAttemptAt()).isEqualTo(NOW.plusSeconds(10));
                });
        assertThat(decision.abandonInFlight()).isTrue();
        assertThat(decision.phase()).isEqualTo(ServiceBook.Phase.WAITING);
    }

    @Test
    void aRestartThatSucceededButLeftTheServiceDownPastItsGraceFails() {
        ServiceBook.Recovery inFlight = new ServiceBook.Recovery(ServiceBook.Phase.IN_FLIGHT, 3, NOW.minusSeconds(60),
                null, "cmd-3", null, List.of());
        RecoveryDecisions.Decision stillWaiting = decide(ServiceState.Status.DOWN, inFlight,
                new RecoveryDecisions.Situation(true, true, false, false, NOW.plusSeconds(1)));
        assertThat(stillWaiting.events()).isEmpty();
        RecoveryDecisions.Decision late = decide(ServiceState.Status.DOWN, inFlight,
                new RecoveryDecisions.Situation(true, true, false, false, NOW.minusSeconds(1)));
        // The third attempt was the last: the policy gives up.
        assertThat(late.events()).singleElement().isInstanceOf(ServiceEvent.RecoveryGaveUp.class);
        assertThat(late.phase()).isEqualTo(ServiceBook.Phase.GAVE_UP);
    }

    @Test
    void runningAgainIsARecoveryCountingTheAttemptsItTook() {
        ServiceBook.Recovery inFlight = new ServiceBook.Recovery(ServiceBook.Phase.IN_FLIGHT, 2, NOW.minusSeconds(60),
                null, "cmd-2", null, List.of());
        RecoveryDecisions.Decision decision = decide(ServiceState.Status.RUNNING, inFlight, CONNECTED);
        assertThat(decision.events()).containsExactly(new ServiceEvent.Recovered("worker", 2, NOW));
        assertThat(decision.confirmed()).isTrue();
        assertThat(decide(ServiceState.Status.RUNNING, ServiceBook.Recovery.IDLE, CONNECTED).events()).isEmpty();
    }

    @Test
    void aRunningCheckWhileAPersonsStopIsOnItsWayKeepsTheHold() {
        ServiceBook.Recovery held = new ServiceBook.Recovery(ServiceBook.Phase.HELD, 0, NOW.minusMillis(50), null, null,
                "stopped by admin", List.of());
        RecoveryDecisions.Situation stopping = new RecoveryDecisions.Situation(true, true, true, false, null);
        RecoveryDecisions.Decision stale = decide(ServiceState.Status.RUNNING, held, stopping);
        assertThat(stale.events()).isEmpty();
        assertThat(stale.phase()).isEqualTo(ServiceBook.Phase.HELD);
        // Once the stop is answered, running means someone started it again: the hold ends.
        assertThat(decide(ServiceState.Status.RUNNING, held, CONNECTED).events())
                .containsExactly(new ServiceEvent.Recovered("worker", 0, NOW));
    }

    @Test
    void anAgentRefusalGivesUpAtOnceAndOtherwiseTheBackoffGrows() {
        assertThat(RecoveryDecisions.attemptFailed("worker", 1, "not allowed", true, POLICY, NOW))
                .isInstanceOf(ServiceEvent.RecoveryGaveUp.class);
        assertThat(((ServiceEvent.RestartFailed) RecoveryDecisions.attemptFailed("worker", 2, "exit 1", false, POLICY,
                NOW)).nextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
    }
}
