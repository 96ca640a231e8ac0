package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one attempt from one vantage ended. */
public enum ProbeOutcome {
    UP, DOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
