package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CounterRateTest {

    @Test
    void rateIsTheIncreasePerSecond() {
        assertThat(CounterRate.perSecond(1_000, 6_000, 5_000)).isEqualTo(1_000.0);
        assertThat(CounterRate.perSecond(0, 1, 2_000)).isEqualTo(0.5);
        assertThat(CounterRate.perSecond(42, 42, 1_000)).isZero();
    }

    @Test
    void aCounterThatWentDownWasResetAndCountsFromZero() {
        // Interface re-created: 900 bytes since the reset, over 1 s.
        assertThat(CounterRate.delta(5_000_000, 900)).isEqualTo(900);
        assertThat(CounterRate.perSecond(5_000_000, 900, 1_000)).isEqualTo(900.0);
    }

    @Test
    void aThirtyTwoBitWrapIsNeverNegativeNorHuge() {
        long nearTop = 4_294_967_000L;
        double rate = CounterRate.perSecond(nearTop, 200, 1_000);
        assertThat(rate).isBetween(0.0, 1_000.0);
    }

    @Test
    void noElapsedTimeOrUnknownReadingsGiveZero() {
        assertThat(CounterRate.perSecond(0, 1_000, 0)).isZero();
        assertThat(CounterRate.perSecond(0, 1_000, -5)).isZero();
        assertThat(CounterRate.perSecond(100, -1, 1_000)).isZero();
    }

    @Test
    void trackerReportsZeroFirstThenRatesPerDevice() {
        RateTracker tracker = new RateTracker();
        assertThat(tracker.rates("eth0", 10_000, 100, 10)).containsExactly(0.0, 0.0);
        tracker.endCycle();
        assertThat(tracker.rates("eth0", 12_000, 2_100, 30)).containsExactly(1_000.0, 10.0);
        assertThat(tracker.rates("eth1", 12_000, 5)).containsExactly(0.0);
        tracker.endCycle();
        double[] afterReset = tracker.rates("eth0", 13_000, 50, 40);
        assertThat(afterReset[0]).isCloseTo(50.0, within(1e-9));
        assertThat(afterReset[1]).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void trackerForgetsDevicesThatDisappeared() {
        RateTracker tracker = new RateTracker();
        tracker.rates("veth1", 0, 1);
        tracker.rates("veth2", 0, 1);
        tracker.endCycle();
        assertThat(tracker.remembered()).isEqualTo(2);
        tracker.rates("veth2", 1_000, 2);
        tracker.endCycle();
        assertThat(tracker.remembered()).isEqualTo(1);
        // veth1 came back: a first reading again, not a rate against a stale value.
        assertThat(tracker.rates("veth1", 2_000, 1_000_000)).containsExactly(0.0);
    }
}
