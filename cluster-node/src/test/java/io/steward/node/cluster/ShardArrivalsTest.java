package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which shard arrivals are failover phases, poll by poll. */
class ShardArrivalsTest {
    private static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Duration LEAD = Duration.ofSeconds(15);

    private final ShardArrivals arrivals = new ShardArrivals(WINDOW, LEAD);

    /** Servers' shards with their entity counts, and checks' shards with theirs. */
    private static ShardArrivals.LocalShards hosting(Map<String, Integer> servers, Map<String, Integer> checks) {
        return new ShardArrivals.LocalShards(Map.of("server", servers, "check", checks));
    }

    private static Map<String, Integer> shards(int... idAndCount) {
        Map<String, Integer> byShard = new HashMap<>();
        for (int i = 0; i < idAndCount.length; i += 2) {
            byShard.put(String.valueOf(idAndCount[i]), idAndCount[i + 1]);
        }
        return byShard;
    }

    private List<ShardArrivals.Phase> at(int second, ShardArrivals.LocalShards hosted) {
        return arrivals.observe(T0.plusSeconds(second), hosted);
    }

    @Test
    void shardsArrivingAfterAMemberWasLostAreAFailoverAndTheirEntitiesAreCountedOnceTheySettle() {
        assertThat(at(0, hosting(shards(1, 5), shards()))).isEmpty(); // the baseline
        arrivals.memberLost(T0.plusSeconds(1)); // unreachable
        assertThat(at(2, hosting(shards(1, 5), shards()))).isEmpty();
        arrivals.memberLost(T0.plusSeconds(9)); // downed, removed
        // Two shards arrive over two polls, their entities start over three.
        assertThat(at(10, hosting(shards(1, 5, 7, 0), shards()))).isEmpty();
        assertThat(at(11, hosting(shards(1, 5, 7, 3), shards(40, 1)))).isEmpty();
        assertThat(at(12, hosting(shards(1, 5, 7, 3), shards(40, 1)))).containsExactly(new ShardArrivals.Phase(
                ClusterEventKind.SHARDS_MOVED, T0.plusSeconds(10), "1 check shard, 1 server shard"));
        assertThat(at(13, hosting(shards(1, 5, 7, 4), shards(40, 2)))).isEmpty();
        assertThat(at(14, hosting(shards(1, 5, 7, 4), shards(40, 2)))).containsExactly(new ShardArrivals.Phase(
                ClusterEventKind.ENTITIES_RECOVERED, T0.plusSeconds(13), "2 check entities, 4 server entities"));
        // And that burst is over: nothing more is written while nothing changes.
        assertThat(at(15, hosting(shards(1, 5, 7, 4), shards(40, 2)))).isEmpty();
    }

    @Test
    void aGracefulStopHandsShardsOffJustBeforeTheClusterHearsItLeave() {
        at(0, hosting(shards(), shards()));
        assertThat(at(1, hosting(shards(3, 2), shards()))).isEmpty();
        assertThat(at(2, hosting(shards(3, 2), shards()))).as("no loss yet: maybe a rebalance").isEmpty();
        arrivals.memberLost(T0.plusSeconds(4)); // left, a little after its handoff
        assertThat(at(5, hosting(shards(3, 2), shards()))).extracting(ShardArrivals.Phase::kind)
                .containsExactly(ClusterEventKind.SHARDS_MOVED);
        assertThat(at(6, hosting(shards(3, 2), shards()))).extracting(ShardArrivals.Phase::kind)
                .containsExactly(ClusterEventKind.ENTITIES_RECOVERED);
    }

    @Test
    void arrivalsWithNoLossAroundThemAreNoFailover() {
        at(0, hosting(shards(), shards()));
        at(1, hosting(shards(1, 1, 2, 1), shards())); // a node joined, or the first allocation
        for (int second = 2; second < 30; second++) {
            assertThat(at(second, hosting(shards(1, 1, 2, 1), shards()))).isEmpty();
        }
        arrivals.memberLost(T0.plusSeconds(30)); // too long after them to have caused them
        assertThat(at(31, hosting(shards(1, 1, 2, 1), shards()))).isEmpty();
        // A loss long ago does not explain arrivals now either.
        int later = 36 + (int) WINDOW.toSeconds();
        assertThat(at(later, hosting(shards(1, 1, 2, 1, 9, 1), shards()))).isEmpty();
        assertThat(at(later + 1, hosting(shards(1, 1, 2, 1, 9, 1), shards()))).isEmpty();
    }

    @Test
    void shardsWhoseEntitiesNeverStartGiveNoRecoveryAndTheNextFailoverStartsAfresh() {
        at(0, hosting(shards(), shards()));
        arrivals.memberLost(T0);
        at(1, hosting(shards(4, 0), shards()));
        assertThat(at(2, hosting(shards(4, 0), shards()))).extracting(ShardArrivals.Phase::kind)
                .containsExactly(ClusterEventKind.SHARDS_MOVED);
        for (int second = 3; second <= 3 + (int) WINDOW.toSeconds(); second++) {
            assertThat(at(second, hosting(shards(4, 0), shards()))).isEmpty();
        }
        int later = 10 + (int) WINDOW.toSeconds();
        arrivals.memberLost(T0.plusSeconds(later));
        at(later + 1, hosting(shards(4, 0, 5, 2), shards()));
        assertThat(at(later + 2, hosting(shards(4, 0, 5, 2), shards()))).singleElement()
                .satisfies(phase -> assertThat(phase.detail()).isEqualTo("1 server shard"));
    }
}
