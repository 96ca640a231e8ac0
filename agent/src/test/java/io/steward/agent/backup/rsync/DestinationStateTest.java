package io.steward.agent.backup.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.Retention;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which snapshots are good, what a run links to, what it is called and what it prunes. */
class DestinationStateTest {
    private static DestinationState state(List<String> directories, List<String> markers) {
        return new DestinationState(new TreeSet<>(directories), new TreeSet<>(markers));
    }

    @Test
    void onlyADirectoryWithAMarkerIsGoodAndTheNewestAttemptIsResumedFirst() {
        DestinationState state = state(
                List.of("2026-12-01T020000Z", "2026-12-02T020000Z", "2026-12-03T020000Z", "2026-12-03T030000Z",
                        "2026-11-30T020000Z"),
                List.of("2026-12-01T020000Z", "2026-12-02T020000Z", "2026-11-01T020000Z"));
        assertThat(state.good()).containsExactly("2026-12-01T020000Z", "2026-12-02T020000Z");
        assertThat(state.unmarked()).containsExactly("2026-11-30T020000Z", "2026-12-03T020000Z",
                "2026-12-03T030000Z");
        assertThat(state.strayMarkers()).containsExactly("2026-11-01T020000Z");
        assertThat(state.linkDests()).containsExactly("2026-12-03T030000Z", "2026-12-03T020000Z",
                "2026-12-02T020000Z");
        assertThat(state(List.of(), List.of()).linkDests()).isEmpty();
    }

    @Test
    void aNewSnapshotNeverReusesADirectoryAndIsAlwaysTheNewest() {
        DestinationState state = state(List.of("2026-12-02T020000Z", "2026-12-03T020000Z"),
                List.of("2026-12-02T020000Z"));
        assertThat(state.nameFor("2026-12-04T020000Z")).isEqualTo("2026-12-04T020000Z");
        assertThat(state.nameFor("2026-12-03T020000Z")).isEqualTo("2026-12-03T020001Z");
        assertThat(state.nameFor("2026-12-01T020000Z")).isEqualTo("2026-12-03T020001Z");
    }

    @Test
    void pruningRemovesWhatRetentionDropsAndOlderAttemptsButNeverTheNewSnapshot() {
        DestinationState state = state(
                List.of("2026-12-01T020000Z", "2026-12-02T020000Z", "2026-12-02T030000Z"),
                List.of("2026-12-01T020000Z", "2026-12-02T020000Z", "2026-11-01T020000Z"));
        DestinationState.Pruning pruning = state.pruningAfter("2026-12-03T020000Z", new Retention(2, 0, 0, 0),
                ZoneOffset.UTC);
        assertThat(pruning.pruned()).containsExactly("2026-12-01T020000Z");
        assertThat(pruning.markers()).containsExactly("2026-12-01T020000Z", "2026-11-01T020000Z");
        assertThat(pruning.data()).containsExactly("2026-12-01T020000Z", "2026-12-02T030000Z");
        assertThat(pruning.kept()).containsExactly("2026-12-02T020000Z", "2026-12-03T020000Z");
        assertThat(state.pruningAfter("2026-12-03T020000Z", new Retention(1, 0, 0, 0), ZoneOffset.UTC).kept())
                .containsExactly("2026-12-03T020000Z");
    }
}
