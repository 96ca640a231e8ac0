package io.steward.core.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void theFirstRestartIsImmediateThenTheBackoffSteps() {
        RecoveryPolicy policy = RecoveryPolicy.DEFAULT;
        assertThat(policy.delayBefore(1)).isZero();
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayBefore(9)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.mayRetry(2)).isTrue();
        assertThat(policy.mayRetry(3)).isFalse();
    }

    @Test
    void fiveRestartsWithinAnHourIsFlapping() {
        RecoveryPolicy policy = RecoveryPolicy.DEFAULT;
        List<Instant> four = List.of(NOW.minusSeconds(60), NOW.minusSeconds(120), NOW.minusSeconds(180),
                NOW.minusSeconds(240));
        assertThat(policy.flapping(four, NOW)).isFalse();
        List<Instant> five = new java.util.ArrayList<>(four);
        five.add(NOW.minusSeconds(3000));
        assertThat(policy.flapping(five, NOW)).isTrue();
        five.set(4, NOW.minusSeconds(3700)); // outside the hour
        assertThat(policy.flapping(five, NOW)).isFalse();
        assertThat(policy.withinWindow(five, NOW)).hasSize(4);
    }
}
