package io.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.CollectionInterval.Origin;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CollectionIntervalTest {
    private static final Optional<Duration> NONE = Optional.empty();

    @Test
    void aLocalIntervalWinsOverTheNodesSuggestion() {
        CollectionInterval decided = CollectionInterval.decide(Optional.of(Duration.ofSeconds(30)), 2_000);
        assertThat(decided.value()).isEqualTo(Duration.ofSeconds(30));
        assertThat(decided.origin()).isEqualTo(Origin.LOCAL);
        // Even when the local interval is the default's value: it was set, so it is kept.
        assertThat(CollectionInterval.decide(Optional.of(AgentSettings.DEFAULT_INTERVAL), 10_000).value())
                .isEqualTo(AgentSettings.DEFAULT_INTERVAL);
    }

    @Test
    void withoutALocalIntervalTheNodesSuggestionApplies() {
        CollectionInterval decided = CollectionInterval.decide(NONE, 10_000);
        assertThat(decided.value()).isEqualTo(Duration.ofSeconds(10));
        assertThat(decided.origin()).isEqualTo(Origin.NODE);
        assertThat(decided.reason()).isEqualTo("the node suggests 10s; no local interval set");
        assertThat(CollectionInterval.decide(NONE, 1_500).value()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void aSuggestionOutsideTheAgentsBoundsIsClampedAndSaysSo() {
        CollectionInterval tooFast = CollectionInterval.decide(NONE, 200);
        assertThat(tooFast.value()).isEqualTo(AgentSettings.MINIMUM_INTERVAL);
        assertThat(tooFast.origin()).isEqualTo(Origin.NODE);
        assertThat(tooFast.reason()).isEqualTo("the node suggests 200ms, kept within 1s..60s; no local interval set");
        CollectionInterval tooSlow = CollectionInterval.decide(NONE, 3_600_000);
        assertThat(tooSlow.value()).isEqualTo(AgentSettings.MAXIMUM_INTERVAL);
        assertThat(tooSlow.reason()).startsWith("the node suggests 1h, kept within 1s..60s");
    }

    @Test
    void noSuggestionOrZeroLeavesTheDefault() {
        for (long suggested : new long[] {0, -1}) {
            CollectionInterval decided = CollectionInterval.decide(NONE, suggested);
            assertThat(decided.value()).isEqualTo(AgentSettings.DEFAULT_INTERVAL);
            assertThat(decided.origin()).isEqualTo(Origin.DEFAULT);
        }
        assertThat(CollectionInterval.decide(NONE, 0).toString())
                .isEqualTo("5s (the default: no local interval set and no node has suggested one)");
    }
}
