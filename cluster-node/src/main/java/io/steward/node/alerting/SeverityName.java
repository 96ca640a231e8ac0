package io.steward.node.alerting;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.alerting.Severity;
import java.util.Locale;

/**
 * A severity as the API, the live socket and the inbox write it ({@code "warning"}, {@code "critical"}). Core's
 * {@link Severity} keeps its names: they are stored in the event journal and the rule table as they are.
 */
public enum SeverityName {
    WARNING, CRITICAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SeverityName of(Severity severity) {
        return valueOf(severity.name());
    }

    /** From a stored or received name, in any case. */
    public static SeverityName parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
