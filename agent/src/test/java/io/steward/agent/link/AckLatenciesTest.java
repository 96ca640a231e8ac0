package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckLatenciesTest {

    @Test
    void quantilesOfAWindowThenAFreshWindow() {
        AckLatencies latencies = new AckLatencies(1000);
        for (int millis = 1; millis <= 100; millis++) {
            latencies.record(millis * 1_000_000L);
        }
        AckLatencies.Window window = latencies.drain();
        assertThat(window.count()).isEqualTo(100);
        assertThat(window.p50Millis()).isEqualTo(50.0);
        assertThat(window.p99Millis()).isEqualTo(99.0);
        assertThat(window.maxMillis()).isEqualTo(100.0);
        assertThat(latencies.drain().count()).isZero();
    }

    @Test
    void staysBoundedAndRepresentativeUnderFlood() {
        AckLatencies latencies = new AckLatencies(64);
        for (int i = 1; i <= 100_000; i++) {
            latencies.record(i % 100 == 0 ? 500_000_000L : 1_000_000L);
        }
        AckLatencies.Window window = latencies.drain();
        assertThat(window.count()).isEqualTo(100_000);
        assertThat(window.p50Millis()).isEqualTo(1.0);
    }
}
