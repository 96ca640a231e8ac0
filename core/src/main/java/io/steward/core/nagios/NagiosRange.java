package io.steward.core.nagios;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A threshold range in the notation of the Nagios plugin development guidelines: {@code 10} alerts outside 0..10,
 * {@code 10:} below 10, {@code ~:10} above 10, {@code 10:20} outside 10..20, and a leading {@code @} inverts any of
 * them ({@code @10:20} alerts inside 10..20, both ends included).
 *
 * @param start lower end, {@link Double#NEGATIVE_INFINITY} for {@code ~}
 * @param end upper end, {@link Double#POSITIVE_INFINITY} when omitted
 * @param inside alert when the value lies inside (rather than outside) the range
 * @param text the range as written, repeated in performance data
 */
public record NagiosRange(double start, double end, boolean inside, String text) {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    public NagiosRange {
        requireNonNull(text, "text is null");
        if (Double.isNaN(start) || Double.isNaN(end)) {
            throw new IllegalArgumentException("range ends must be numbers: " + text);
        }
        if (start > end) {
            throw new IllegalArgumentException("range start is greater than its end: " + text);
        }
    }

    /** Parses a range; the message of a failure quotes the text and says what is wrong. */
    public static NagiosRange parse(String text) {
        requireNonNull(text, "range is null");
        String rest = text.strip();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty range");
        }
        boolean inside = rest.startsWith("@");
        if (inside) {
            rest = rest.substring(1);
        }
        int colon = rest.indexOf(':');
        double start;
        double end;
        if (colon < 0) {
            start = 0;
            end = number(rest, text);
        } else {
            String low = rest.substring(0, colon);
            String high = rest.substring(colon + 1);
            start = low.equals("~") ? Double.NEGATIVE_INFINITY : low.isEmpty() ? 0 : number(low, text);
            end = high.isEmpty() ? Double.POSITIVE_INFINITY : number(high, text);
        }
        if (start > end) {
            throw new IllegalArgumentException("range '" + text + "': start is greater than end");
        }
        return new NagiosRange(start, end, inside, text.strip());
    }

    /** Whether {@code value} raises the alert this range stands for. */
    public boolean alerts(double value) {
        boolean within = value >= start && value <= end;
        return inside == within;
    }

    private static double number(String part, String text) {
        double value = NUMBER.matcher(part).matches() ? Double.parseDouble(part) : Double.NaN;
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("range '" + text + "': '" + part + "' is not a number (ranges are"
                    + " like 80, 10:, ~:10, 10:20 or @10:20)");
        }
        return value;
    }
}
