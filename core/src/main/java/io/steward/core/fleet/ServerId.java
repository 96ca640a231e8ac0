package io.steward.core.fleet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of a monitored server: the one rule for what an id may be, used by every route, the live socket and the
 * entity. Ids are made from the hostname at enrollment ({@code web-01.example.com} becomes
 * {@code web-01-example-com-x7k2q9}): lower-case letters, digits and dashes, starting with a letter or digit, at most
 * 64 characters — safe in URLs, file names and persistence ids as they are.
 */
public record ServerId(String value) {
    public static final int MAX_LENGTH = 64;
    private static final Pattern RULE = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_LENGTH - 1) + "}");
    private static final int MAX_SLUG = 40;

    public ServerId {
        requireNonNull(value, "value is null");
        if (!RULE.matcher(value).matches()) {
            throw new IllegalArgumentException(describe(value));
        }
    }

    /** The id in {@code text}, or empty when it is not one ({@link #describe} says why). */
    public static Optional<ServerId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new ServerId(text)) : Optional.empty();
    }

    @JsonCreator
    public static ServerId of(String value) {
        return new ServerId(value);
    }

    /** Why {@code text} is not a server id, for an error message. */
    public static String describe(String text) {
        String shown = text == null ? "null" : text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return "not a server id: '" + shown + "' (lower-case letters, digits and dashes, at most " + MAX_LENGTH
                + " characters, starting with a letter or digit)";
    }

    /**
     * A new id for a server called {@code hostname}: its readable slug (at most 40 characters) and a random
     * {@code suffix} that makes it unique.
     */
    public static ServerId fromHostname(String hostname, String suffix) {
        String slug = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return new ServerId((slug.isEmpty() ? "server" : slug) + "-" + suffix);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
