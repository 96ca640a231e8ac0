package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

/**
 * A report waiting in the spool: its sequence and its metrics already encoded as wire JSON, so sending it needs no
 * decoding and re-encoding.
 */
public record SpooledReport(long sequence, String metricsJson) {
    public SpooledReport {
        requireNonNull(metricsJson, "metricsJson is null");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
    }

    /** The {@code Report} frame exactly as {@code WireFormat} would decode it. */
    public String frame() {
        return "{\"type\":\"report\",\"sequence\":" + sequence + ",\"metrics\":" + metricsJson + "}";
    }
}
