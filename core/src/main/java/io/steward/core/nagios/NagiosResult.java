package io.steward.core.nagios;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A plugin's answer: its state and the one line Nagios shows, {@code STEWARD OK - text | performance data}.
 *
 * @param performanceData empty when there is no value to report (an unknown server, say)
 */
public record NagiosResult(NagiosStatus status, String text, Optional<PerformanceData> performanceData) {
    /** The service name every line opens with. */
    public static final String SERVICE = "STEWARD";

    public NagiosResult {
        requireNonNull(status, "status is null");
        requireNonNull(performanceData, "performanceData is null");
        // The text before '|' is one line without '|': anything else would be read as performance data or cut.
        text = requireNonNull(text, "text is null").replace('|', '/').replaceAll("[\\r\\n]+", " ").strip();
    }

    /** An answer without a value, e.g. UNKNOWN because the server is not known. */
    public static NagiosResult of(NagiosStatus status, String text) {
        return new NagiosResult(status, text, Optional.empty());
    }

    /** The exit code a plugin ends with. */
    public int exitCode() {
        return status.exitCode();
    }

    /** {@code STEWARD WARNING - cpu.percent on web-1 is 85 | 'cpu.percent'=85%;80;90;0;100}. */
    public String line() {
        String line = SERVICE + " " + status.name() + " - " + text;
        return performanceData.map(data -> line + " | " + data).orElse(line);
    }
}
