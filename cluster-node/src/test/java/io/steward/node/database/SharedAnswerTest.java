package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** /readyz's answer is worked out (one database query) at most once a second, however often it is asked. */
class SharedAnswerTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger queries = new AtomicInteger();

    @Test
    void answersWithinASecondShareOneQuery() {
        SharedAnswer<Integer> answer = new SharedAnswer<>(
                () -> CompletableFuture.completedFuture(queries.incrementAndGet()), Duration.ofSeconds(1), clock);
        assertThat(answer.get().toCompletableFuture().join()).isEqualTo(1);
        clock.advance(Duration.ofMillis(400));
        assertThat(answer.get().toCompletableFuture().join()).isEqualTo(1);
        clock.advance(Duration.ofMillis(599));
        assertThat(answer.get().toCompletableFuture().join()).isEqualTo(1);
        assertThat(queries).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(answer.get().toCompletableFuture().join()).isEqualTo(2);
        assertThat(queries).hasValue(2);
    }

    @Test
    void aSlowAnswerIsSharedUntilItComesEvenPastTheSecond() {
        CompletableFuture<Integer> slow = new CompletableFuture<>();
        SharedAnswer<Integer> answer = new SharedAnswer<>(() -> {
            queries.incrementAndGet();
            return slow;
        }, Duration.ofSeconds(1), clock);
        CompletionStage<Integer> first = answer.get();
        clock.advance(Duration.ofSeconds(3));
        assertThat(answer.get()).isSameAs(first);
        assertThat(queries).hasValue(1);

        slow.complete(7);
        answer.get(); // older than a second once it came: asked again
        assertThat(queries).hasValue(2);
    }
}
