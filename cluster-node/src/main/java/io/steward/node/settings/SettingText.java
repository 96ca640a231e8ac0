package io.steward.node.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of setting values, as the API, the table and the UI show them: durations as a whole number and a unit
 * ({@code 7d}, {@code 12h}, {@code 30m}, {@code 5s}, as in the config file; ISO-8601 such as {@code P7D} is read too),
 * counts as digits, URLs as given. Pure.
 */
public final class SettingText {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(d|h|m|s|ms)");

    private SettingText() {}

    /** A duration in the largest unit that divides it exactly: {@code 7d}, {@code 36h}, {@code 90s}. */
    public static String duration(Duration value) {
        long millis = value.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 5s}, {@code 500ms} or ISO-8601 ({@code PT5S}); empty if neither. */
    public static Optional<Duration> parseDuration(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT_DURATION.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return Optional.of(switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
        }
        if (trimmed.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(trimmed.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code text} is not a public URL ({@code http(s)://host[:port][/path]}, no query or fragment), or empty
     * when it is one. Blank is allowed: the node then derives its address from the bind address and port.
     */
    public static Optional<String> publicUrlProblem(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            return Optional.of("must start with http:// or https://");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return Optional.of("must name a host (https://steward.example.com)");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            return Optional.of("must not have a query, a fragment or a user name");
        }
        return Optional.empty();
    }

    /** A public URL as stored: trimmed, without trailing slashes. */
    public static String publicUrl(String text) {
        return text.strip().replaceAll("/+$", "");
    }
}
