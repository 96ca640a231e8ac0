package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The checks request records make on their text fields, each naming the field it refuses. */
final class Fields {
    private Fields() {}

    /** Trimmed text of at most {@code max} characters; absent or blank is refused. */
    static String required(String field, @Nullable String value, int max) {
        String text = optional(field, value, max);
        if (text == null) {
            throw Problem.invalid(field + " is required");
        }
        return text;
    }

    /** Trimmed text of at most {@code max} characters, or null when absent or blank. */
    static @Nullable String optional(String field, @Nullable String value, int max) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.length() > max) {
            throw Problem.invalid(field + " is longer than " + max + " characters");
        }
        return text.isEmpty() ? null : text;
    }

    /** A list of at most {@code maxItems} non-blank names of at most {@code maxLength} characters, trimmed. */
    static List<String> names(String field, @Nullable List<String> values, int maxItems, int maxLength) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxItems) {
            throw Problem.invalid(field + " must be a list of at most " + maxItems + " names");
        }
        for (String value : values) {
            if (value == null || value.isBlank() || value.length() > maxLength) {
                throw Problem.invalid(field + " must hold non-empty names of at most " + maxLength + " characters");
            }
        }
        return values.stream().map(String::strip).toList();
    }
}
