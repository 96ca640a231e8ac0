package io.steward.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);

    @Test
    void growsExponentiallyUpToTheCap() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.ceiling(20)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void jitterStaysBetweenMinimumAndCeiling() {
        assertThat(backoff.delay(5, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(5, () -> 0.999_999)).isLessThanOrEqualTo(Duration.ofSeconds(32));
        assertThat(backoff.delay(5, () -> 0.5)).isEqualTo(Duration.ofMillis(16_500));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
