package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.retry.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResendTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);

    @Test
    void pausesWithoutAnAckInBetweenBackOffFurther() {
        Resend first = Resend.NONE.pause();
        assertThat(first.waiting()).isTrue();
        assertThat(Resend.NONE.delay(BACKOFF, () -> 0.999_999)).isEqualTo(Duration.ofSeconds(1));
        Resend second = first.resume().pause();
        assertThat(second.delay(BACKOFF, () -> 0.999_999)).isEqualTo(Duration.ofMillis(3999));
        assertThat(second.resume().waiting()).isFalse();
    }

    @Test
    void anAckStartsTheNextPauseFromTheMinimumWithoutResumingThisOne() {
        Resend paused = Resend.NONE.pause().resume().pause();
        Resend acked = paused.afterAck();
        assertThat(acked.waiting()).isTrue();
        assertThat(acked.attempt()).isZero();
    }

    @Test
    void theAttemptCountStaysBounded() {
        Resend resend = Resend.NONE;
        for (int i = 0; i < 1000; i++) {
            resend = resend.pause().resume();
        }
        assertThat(resend.attempt()).isEqualTo(Reconnects.MAXIMUM_ATTEMPT);
        assertThat(resend.delay(BACKOFF, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }
}
