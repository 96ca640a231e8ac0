package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code from}/{@code to} parameters of metric queries ({@code GET /api/servers/{id}/metrics} and its export):
 * ISO-8601 instants; {@code to} defaults to now and {@code from} to an hour before {@code to}.
 */
record ChartRange(Instant from, Instant to) {
    /** Longest range a query may span: three years, beyond the hourly tier's default retention of two. */
    static final Duration MAX_RANGE = Duration.ofDays(3 * 366);
    private static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    /** @throws Problem (invalid) naming the parameter that is malformed, or why the range is not one */
    static ChartRange parse(Optional<String> fromText, Optional<String> toText, Instant now) {
        Instant to = toText.map(text -> instant("to", text)).orElse(now);
        Instant from = fromText.map(text -> instant("from", text)).orElse(to.minus(DEFAULT_SPAN));
        if (!from.isBefore(to)) {
            throw Problem.invalid("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw Problem.invalid("range longer than " + MAX_RANGE.toDays() + " days");
        }
        return new ChartRange(from, to);
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.invalid(field + " must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
        }
    }
}
