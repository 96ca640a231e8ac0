package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one vantage stands on a check, as the quorum counts it. */
public enum VantageState {
    /** The latest attempt succeeded. Judges. */
    UP,
    /** Failing, but not yet more than {@code retries} attempts in a row: judges as up. */
    RETRYING,
    /** More than {@code retries} failed attempts in a row. Judges, and votes down. */
    DOWN,
    /** Cannot judge: its own reference is unreachable, or its results stopped coming. Not counted. */
    ABSTAINED,
    /** No result yet. Not counted. */
    PENDING;

    /** Whether the vantage's vote counts. */
    public boolean judges() {
        return this == UP || this == RETRYING || this == DOWN;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
