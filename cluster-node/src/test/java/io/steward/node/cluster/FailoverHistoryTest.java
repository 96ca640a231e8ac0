package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recorded events grouped into failovers, each phase timed from the first sign of trouble. */
class FailoverHistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");
    private static final String A = "pekko://steward@10.0.0.1:25520";
    private static final String B = "pekko://steward@10.0.0.2:25520";
    private static final String C = "pekko://steward@10.0.0.3:25520";

    private final FailoverHistory history = new FailoverHistory(Duration.ofMinutes(2), Duration.ofSeconds(15));

    private static RecordedEvent event(String member, long uid, ClusterEventKind kind, int second, String by,
            String detail) {
        return new RecordedEvent(member, uid, kind, T0.plusSeconds(second), by, detail);
    }

    @Test
    void aKilledNodeIsOneFailoverWithEveryPhaseInOrderWhereverItWasRecorded() {
        List<RecordedEvent> events = new ArrayList<>(List.of(
                event(A, 1, ClusterEventKind.UP, -600, A, null),
                event(C, 3, ClusterEventKind.UP, -500, A, null),
                event(C, 3, ClusterEventKind.UNREACHABLE, 0, A, null),
                event(A, 0, ClusterEventKind.LEADER, 1, B, null),
                event(C, 3, ClusterEventKind.DOWNED, 7, B, null),
                event(C, 3, ClusterEventKind.REMOVED, 8, A, "was down"),
                event(B, 2, ClusterEventKind.SHARDS_MOVED, 9, B, "34 server shards"),
                event(A, 1, ClusterEventKind.SHARDS_MOVED, 9, A, "33 server shards"),
                event(B, 2, ClusterEventKind.ENTITIES_RECOVERED, 11, B, "120 server entities")));
        Collections.shuffle(events);

        assertThat(history.failovers(events)).singleElement().satisfies(failover -> {
            assertThat(failover.member()).isEqualTo(C);
            assertThat(failover.outcome()).isEqualTo(Failover.Outcome.FAILED_OVER);
            assertThat(failover.startedAt()).isEqualTo(T0);
            assertThat(failover.endedAt()).isEqualTo(T0.plusSeconds(8));
            assertThat(failover.phases()).extracting(Failover.Phase::kind).containsExactly(
                    ClusterEventKind.UNREACHABLE, ClusterEventKind.LEADER, ClusterEventKind.DOWNED,
                    ClusterEventKind.REMOVED, ClusterEventKind.SHARDS_MOVED, ClusterEventKind.SHARDS_MOVED,
                    ClusterEventKind.ENTITIES_RECOVERED);
            assertThat(failover.phases()).extracting(Failover.Phase::sinceStartMillis)
                    .containsExactly(0L, 1_000L, 7_000L, 8_000L, 9_000L, 9_000L, 11_000L);
            assertThat(failover.phases().get(6).node()).isEqualTo(B);
            assertThat(failover.phases().get(6).detail()).isEqualTo("120 server entities");
        });
    }

    @Test
    void aBlipIsReachableAgainAGracefulStopIsLeftAndNewestComesFirst() {
        List<RecordedEvent> events = List.of(
                event(C, 3, ClusterEventKind.UNREACHABLE, 0, A, null),
                event(C, 3, ClusterEventKind.REACHABLE, 2, A, null),
                // Later, B stops gracefully: it hands its shards off to A just before it leaves.
                event(A, 1, ClusterEventKind.SHARDS_MOVED, 99, A, "50 server shards"),
                event(B, 2, ClusterEventKind.LEFT, 100, A, null),
                event(B, 2, ClusterEventKind.EXITED, 101, A, null),
                event(B, 2, ClusterEventKind.REMOVED, 102, A, "was exiting"),
                event(A, 1, ClusterEventKind.ENTITIES_RECOVERED, 103, A, "200 server entities"));

        List<Failover> failovers = history.failovers(events);

        assertThat(failovers).extracting(Failover::member).containsExactly(B, C);
        assertThat(failovers.get(0).outcome()).isEqualTo(Failover.Outcome.LEFT);
        assertThat(failovers.get(0).phases()).extracting(Failover.Phase::kind).containsExactly(
                ClusterEventKind.SHARDS_MOVED, ClusterEventKind.LEFT, ClusterEventKind.EXITED,
                ClusterEventKind.REMOVED, ClusterEventKind.ENTITIES_RECOVERED);
        assertThat(failovers.get(0).phases().get(0).sinceStartMillis()).isEqualTo(-1_000L);
        assertThat(failovers.get(1).outcome()).isEqualTo(Failover.Outcome.REACHABLE_AGAIN);
        assertThat(failovers.get(1).endedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(failovers.get(1).phases()).hasSize(2);
    }

    @Test
    void aFailoverStillUnderWayIsInProgressAndALostMemberThatRestartedIsANewIncarnation() {
        List<RecordedEvent> events = List.of(
                event(C, 3, ClusterEventKind.UNREACHABLE, 0, A, null),
                event(C, 3, ClusterEventKind.DOWNED, 7, A, null),
                event(C, 3, ClusterEventKind.REACHABLE, 8, A, null), // downed stays downed
                // The restarted node on the same address, lost at once again.
                event(C, 4, ClusterEventKind.UP, 60, A, null),
                event(C, 4, ClusterEventKind.UNREACHABLE, 70, A, null),
                // Shards move only for a downed member: to the first incarnation's failover, not the undowned second.
                event(A, 1, ClusterEventKind.SHARDS_MOVED, 80, A, "1 server shard"),
                // A reachable with no start we know of is ignored.
                event(B, 2, ClusterEventKind.REACHABLE, 90, A, null));

        List<Failover> failovers = history.failovers(events);

        assertThat(failovers).extracting(Failover::outcome)
                .containsExactly(Failover.Outcome.IN_PROGRESS, Failover.Outcome.IN_PROGRESS);
        assertThat(failovers.get(0).phases()).extracting(Failover.Phase::kind)
                .containsExactly(ClusterEventKind.UNREACHABLE);
        assertThat(failovers.get(1).endedAt()).isNull();
        assertThat(failovers.get(1).phases()).extracting(Failover.Phase::kind).containsExactly(
                ClusterEventKind.UNREACHABLE, ClusterEventKind.DOWNED, ClusterEventKind.REACHABLE,
                ClusterEventKind.SHARDS_MOVED);
    }

    @Test
    void shardMovesOutsideAFailoverBelongToNone() {
        List<RecordedEvent> events = List.of(
                event(C, 3, ClusterEventKind.UNREACHABLE, 0, A, null),
                event(C, 3, ClusterEventKind.DOWNED, 7, A, null),
                event(C, 3, ClusterEventKind.REMOVED, 8, A, "was down"),
                event(A, 1, ClusterEventKind.SHARDS_MOVED, 8 + 121, A, "after the window"),
                event(A, 1, ClusterEventKind.SHARDS_MOVED, -16, A, "before the lead"),
                event(B, 2, ClusterEventKind.SHARDS_MOVED, -9, B, "before a kill: new servers' shards"),
                event(B, 2, ClusterEventKind.ENTITIES_RECOVERED, 4, B, "after the kill, before the downing"));

        assertThat(history.failovers(events)).singleElement()
                .satisfies(failover -> assertThat(failover.phases()).hasSize(3));
    }
}
