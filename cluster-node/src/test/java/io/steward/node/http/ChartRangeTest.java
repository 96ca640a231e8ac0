package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChartRangeTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void defaultsToTheLastHour() {
        assertThat(ChartRange.parse(Optional.empty(), Optional.empty(), NOW))
                .isEqualTo(new ChartRange(NOW.minus(Duration.ofHours(1)), NOW));
        assertThat(ChartRange.parse(Optional.empty(), Optional.of("2026-11-01T00:00:00Z"), NOW).from())
                .isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
    }

    @Test
    void aYearIsARange() {
        ChartRange year = ChartRange.parse(Optional.of("2025-11-22T10:00:00Z"), Optional.empty(), NOW);
        assertThat(Duration.between(year.from(), year.to()).toDays()).isEqualTo(365);
    }

    @Test
    void mistakesNameTheField() {
        assertThatThrownBy(() -> ChartRange.parse(Optional.of("yesterday"), Optional.empty(), NOW))
                .hasMessageStartingWith("from must be an ISO-8601 instant");
        assertThatThrownBy(() -> ChartRange.parse(Optional.empty(), Optional.of("2026-11-22"), NOW))
                .hasMessageStartingWith("to must be an ISO-8601 instant");
        assertThatThrownBy(() -> ChartRange.parse(Optional.of(NOW.toString()), Optional.of(NOW.toString()), NOW))
                .hasMessage("from must be before to");
        assertThatThrownBy(() -> ChartRange.parse(Optional.of("2016-01-01T00:00:00Z"), Optional.empty(), NOW))
                .hasMessage("range longer than 1098 days");
    }
}
