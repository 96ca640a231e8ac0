package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.retry.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ReconnectsTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);
    /** Always the top of the jitter range, so each delay is the backoff's ceiling. */
    private static final DoubleSupplier HIGHEST = () -> 0.999_999;

    @Test
    void eachAttemptWaitsLongerUpToTheMaximum() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        assertThat(reconnects.nextDelay(HIGHEST)).isEqualTo(Duration.ofSeconds(1)); // the minimum: no jitter range
        assertThat(reconnects.nextDelay(HIGHEST)).isEqualTo(Duration.ofMillis(1999));
        assertThat(reconnects.nextDelay(HIGHEST)).isEqualTo(Duration.ofMillis(3999));
        for (int i = 0; i < 100; i++) {
            reconnects.nextDelay(HIGHEST);
        }
        assertThat(reconnects.nextDelay(HIGHEST)).isEqualTo(Duration.ofMillis(59_999));
    }

    @Test
    void aRefusalThatPassesBySelfKeepsTheNextBackoffShortWithoutResettingTheCount() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        for (int i = 0; i < 10; i++) {
            reconnects.nextDelay(HIGHEST); // a long outage: the backoff is at its minute
        }
        reconnects.passingRefusal(); // then the node answers "not yet" (a failover is moving the server)
        assertThat(reconnects.nextDelay(HIGHEST)).isLessThanOrEqualTo(Reconnects.PASSING_CAP)
                .isGreaterThanOrEqualTo(Reconnects.PASSING_CAP.dividedBy(2));
        assertThat(reconnects.nextDelay(HIGHEST)).as("only the one after it").isEqualTo(Duration.ofMillis(59_999));
        reconnects.lastingRefusal();
        reconnects.passingRefusal();
        assertThat(reconnects.nextDelay(HIGHEST)).as("a lasting refusal wins").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aHealthyConnectionStartsTheBackoffAgain() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        reconnects.nextDelay(HIGHEST);
        reconnects.nextDelay(HIGHEST);
        reconnects.healthy();
        assertThat(reconnects.nextDelay(HIGHEST)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void afterALastingRefusalEveryAttemptWaitsTheMaximumUntilAWelcome() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        reconnects.lastingRefusal();
        assertThat(reconnects.nextDelay(() -> 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(reconnects.nextDelay(() -> 0.0)).isEqualTo(Duration.ofSeconds(60));
        reconnects.welcomed();
        reconnects.healthy();
        assertThat(reconnects.nextDelay(() -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void withSeveralHubsTheNextIsTriedAfterAJitterAndTheBackoffComesAfterAFullRound() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        // Three hubs: two quick moves on, then the backoff; the next round's backoff is longer.
        assertThat(reconnects.afterFailure(3, HIGHEST)).isEqualTo(Duration.ofMillis(999));
        assertThat(reconnects.afterFailure(3, () -> 0.25)).isEqualTo(Duration.ofMillis(250));
        assertThat(reconnects.afterFailure(3, HIGHEST)).isEqualTo(Duration.ofSeconds(1));
        assertThat(reconnects.afterFailure(3, HIGHEST)).isEqualTo(Duration.ofMillis(999));
        assertThat(reconnects.afterFailure(3, HIGHEST)).isEqualTo(Duration.ofMillis(999));
        assertThat(reconnects.afterFailure(3, HIGHEST)).isEqualTo(Duration.ofMillis(1999));
        assertThat(reconnects.afterFailure(3, () -> 0.0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void withOneHubEveryFailureBacksOffAsBefore() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        assertThat(reconnects.afterFailure(1, HIGHEST)).isEqualTo(Duration.ofSeconds(1));
        assertThat(reconnects.afterFailure(1, HIGHEST)).isEqualTo(Duration.ofMillis(1999));
        assertThat(reconnects.afterFailure(1, HIGHEST)).isEqualTo(Duration.ofMillis(3999));
    }

    @Test
    void aHealthyConnectionStartsANewRound() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        reconnects.afterFailure(2, HIGHEST);
        reconnects.healthy();
        // Lost after a good while: the other hub at once, as if nothing had failed before.
        assertThat(reconnects.afterFailure(2, HIGHEST)).isEqualTo(Duration.ofMillis(999));
        assertThat(reconnects.afterFailure(2, HIGHEST)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aLastingRefusalWaitsTheMaximumEvenWithHubsLeftInTheRound() {
        Reconnects reconnects = new Reconnects(BACKOFF);
        reconnects.lastingRefusal();
        assertThat(reconnects.afterFailure(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(reconnects.afterFailure(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(60));
        reconnects.welcomed();
        reconnects.healthy();
        assertThat(reconnects.afterFailure(3, () -> 0.0)).isEqualTo(Duration.ZERO);
    }
}
