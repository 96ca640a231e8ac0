package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared history on a real (H2) database: three nodes that see the same event write one row, however their
 * clocks and gossip delays spread their copies, while what really happened twice stays twice.
 */
class ClusterEventStoreTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final String A = "pekko://steward@127.0.0.1:2551";
    private static final String B = "pekko://steward@127.0.0.1:2552";
    private static final String C = "pekko://steward@127.0.0.1:2553";
    private static final long C_UID = 3003;
    /** On a bucket boundary of the window, so copies a second apart fall into two buckets. */
    private static final Instant T0 = Instant.ofEpochMilli(1_800_000_000_000L - 500);

    @TempDir
    Path dataDir;
    private Database database;
    private ClusterEventStore store;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(DatabaseSettings.h2File(dataDir.toAbsolutePath()));
        database.migrate();
        store = new ClusterEventStore(database.dataSource(), WINDOW);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static RecordedEvent seen(ClusterEventKind kind, Instant at, String by) {
        return new RecordedEvent(C, C_UID, kind, at, by, null);
    }

    @Test
    void anEventThatHappensOncePerIncarnationIsOneRowHoweverLateANodeSeesIt() throws Exception {
        assertThat(store.record(seen(ClusterEventKind.DOWNED, T0, A))).isTrue();
        assertThat(store.record(seen(ClusterEventKind.DOWNED, T0.plusSeconds(1), B))).isFalse();
        assertThat(store.record(seen(ClusterEventKind.DOWNED, T0.plusSeconds(90), C))).isFalse();

        assertThat(store.newest(10)).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ClusterEventKind.DOWNED);
            assertThat(event.at()).isEqualTo(T0);
            assertThat(event.recordedBy()).isEqualTo(A);
        });
        // The same address restarted is a new incarnation, with its own history.
        assertThat(store.record(new RecordedEvent(C, C_UID + 1, ClusterEventKind.DOWNED, T0.plusSeconds(95), B,
                null))).isTrue();
    }

    @Test
    void copiesOfARepeatableEventAcrossABucketBoundaryAreOneButARepeatLaterIsAnother() throws Exception {
        assertThat(ClusterEventKind.UNREACHABLE.dedupSlot(T0, WINDOW))
                .isNotEqualTo(ClusterEventKind.UNREACHABLE.dedupSlot(T0.plusSeconds(1), WINDOW));

        assertThat(store.record(seen(ClusterEventKind.UNREACHABLE, T0, A))).isTrue();
        assertThat(store.record(seen(ClusterEventKind.UNREACHABLE, T0.plusSeconds(1), B))).isFalse();
        assertThat(store.record(seen(ClusterEventKind.UNREACHABLE, T0.minusSeconds(2), C))).isFalse();
        // Flapping: reachable, then lost again well after the window.
        assertThat(store.record(seen(ClusterEventKind.REACHABLE, T0.plusSeconds(20), A))).isTrue();
        assertThat(store.record(seen(ClusterEventKind.UNREACHABLE, T0.plusSeconds(40), B))).isTrue();

        assertThat(store.newest(10)).extracting(RecordedEvent::kind).containsExactly(
                ClusterEventKind.UNREACHABLE, ClusterEventKind.REACHABLE, ClusterEventKind.UNREACHABLE);
    }

    @Test
    void readsTheNewestFirstUpTimesAndPrunesByAge() throws Exception {
        store.record(new RecordedEvent(A, 1001, ClusterEventKind.UP, T0, A, "roles entities"));
        store.record(new RecordedEvent(B, 2002, ClusterEventKind.UP, T0.plusSeconds(5), A, null));
        store.record(new RecordedEvent(B, 2002, ClusterEventKind.LEADER, T0.plusSeconds(6), B, null));
        store.record(seen(ClusterEventKind.SHARDS_MOVED, T0.plusSeconds(7), C));

        assertThat(store.newest(2)).extracting(RecordedEvent::kind)
                .containsExactly(ClusterEventKind.SHARDS_MOVED, ClusterEventKind.LEADER);
        assertThat(store.upSince(List.of(1001L, 2002L, 9999L)))
                .isEqualTo(Map.of(1001L, T0, 2002L, T0.plusSeconds(5)));
        assertThat(store.upSince(List.of())).isEmpty();

        assertThat(store.prune(T0.plusSeconds(6))).isEqualTo(2);
        assertThat(store.newest(10)).extracting(RecordedEvent::kind)
                .containsExactly(ClusterEventKind.SHARDS_MOVED, ClusterEventKind.LEADER);
    }
}
