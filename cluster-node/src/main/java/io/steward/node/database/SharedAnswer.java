package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One answer shared by every caller for {@code maxAge} from when it was asked (and while it is being worked out):
 * load balancers probe {@code /readyz} several times a second each, and every fresh answer costs a database query;
 * agents connecting by the hundred after a failover each ask for the fleet.
 */
public final class SharedAnswer<T> {
    private final Supplier<CompletionStage<T>> source;
    private final Duration maxAge;
    private final Clock clock;
    private CompletionStage<T> current;
    private Instant askedAt;

    public SharedAnswer(Supplier<CompletionStage<T>> source, Duration maxAge, Clock clock) {
        this.source = requireNonNull(source, "source is null");
        this.maxAge = requireNonNull(maxAge, "maxAge is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized CompletionStage<T> get() {
        Instant now = clock.instant();
        boolean pending = current != null && !current.toCompletableFuture().isDone();
        if (current == null || !pending && !now.isBefore(askedAt.plus(maxAge))) {
            askedAt = now;
            current = source.get();
        }
        return current;
    }
}
