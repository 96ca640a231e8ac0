package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A check's combined state over its vantages. */
public enum CheckState {
    /** No judging vantage votes down. */
    UP,
    /** Some judging vantages vote down, but not a majority. */
    PARTIAL,
    /** A strict majority of the judging vantages vote down. */
    DOWN,
    /** No vantage can judge yet (none has a result, or every one abstains). */
    PENDING,
    /** Inside a maintenance window: results are kept, alerts suppressed. Set by the node over the quorum's state. */
    MAINTENANCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
