package io.steward.core.alerting;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** Where one alert (a rule on one series of one server) stands. */
public sealed interface AlertState {

    /** The condition does not hold. */
    record Inactive() implements AlertState {}

    /** The condition holds, but not yet for the rule's {@code for} duration. */
    record Pending(Instant since, double value) implements AlertState {
        public Pending {
            requireNonNull(since, "since is null");
        }
    }

    /** The alert fired at {@code since}; {@code value} is the latest value seen. */
    record Firing(Instant since, double value) implements AlertState {
        public Firing {
            requireNonNull(since, "since is null");
        }
    }

    AlertState INACTIVE = new Inactive();
}
