package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of one check from one agent.
 *
 * @param reason why it failed; null when up
 * @param message the failure in words (the exception's message, "status 503, expected 200"); null when up
 * @param statusCode the final HTTP status, for HTTP checks that got one
 * @param resolvedAddress the IP address the attempt connected to (the last hop's), or the failing one
 * @param bodyExcerpt the start of the response body on failure, at most {@link #MAX_EXCERPT_BYTES} bytes of UTF-8
 * @param certificates every certificate seen: one per hop for HTTPS (redirects included), one per address for TLS
 * @param answers the records a DNS check got
 */
public record CheckResult(String checkId, Instant startedAt, ProbeOutcome outcome, @Nullable FailureReason reason,
        @Nullable String message, PhaseTimings timings, @Nullable Integer statusCode, @Nullable String resolvedAddress,
        @Nullable String bodyExcerpt, List<CertificateInfo> certificates, List<String> answers) {
    public static final int MAX_EXCERPT_BYTES = 4096;
    public static final int MAX_MESSAGE = 1024;

    public CheckResult {
        requireNonNull(checkId, "checkId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(outcome, "outcome is null");
        timings = timings == null ? PhaseTimings.NONE : timings;
        if ((outcome == ProbeOutcome.DOWN) != (reason != null)) {
            throw new IllegalArgumentException("reason: set exactly when the outcome is down");
        }
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
        if (bodyExcerpt != null && bodyExcerpt.getBytes(StandardCharsets.UTF_8).length > MAX_EXCERPT_BYTES) {
            throw new IllegalArgumentException("bodyExcerpt: at most " + MAX_EXCERPT_BYTES + " bytes");
        }
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    public boolean up() {
        return outcome == ProbeOutcome.UP;
    }

    /**
     * The first {@link #MAX_EXCERPT_BYTES} bytes of a body as text, cut at a character boundary (never half a UTF-8
     * sequence); invalid bytes become U+FFFD.
     */
    public static String excerpt(byte[] body, int length) {
        int end = Math.min(length, MAX_EXCERPT_BYTES);
        // Step back over continuation bytes so the cut falls on the start of a character.
        if (end < length) {
            while (end > 0 && (body[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        String text = new String(body, 0, end, StandardCharsets.UTF_8);
        // A replacement character takes 3 bytes where the invalid byte took 1: trim until the bound holds.
        while (text.getBytes(StandardCharsets.UTF_8).length > MAX_EXCERPT_BYTES) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
