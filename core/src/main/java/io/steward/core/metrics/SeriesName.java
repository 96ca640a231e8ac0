package io.steward.core.metrics;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A metric series name in the Prometheus-like form {@code name} or {@code name{label=value}}, e.g.
 * {@code cpu.percent} or {@code disk.percent{mount=/}}. One label at most: every per-thing family here is keyed by
 * one thing (a mount, a disk, an interface).
 */
public record SeriesName(String metric, String labelName, String labelValue) {
    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_.]{0,63}");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** Longest accepted series name, labels included; keeps keys indexable and bounded. */
    public static final int MAX_LENGTH = 200;

    public SeriesName {
        requireNonNull(metric, "metric is null");
        if (!METRIC.matcher(metric).matches()) {
            throw new IllegalArgumentException("invalid metric name: " + metric);
        }
        if ((labelName == null) != (labelValue == null)) {
            throw new IllegalArgumentException("label name and value go together");
        }
        if (labelName != null && !LABEL.matcher(labelName).matches()) {
            throw new IllegalArgumentException("invalid label name: " + labelName);
        }
        if (labelValue != null && (labelValue.isEmpty() || labelValue.indexOf('}') >= 0)) {
            throw new IllegalArgumentException("invalid label value: " + labelValue);
        }
    }

    public static SeriesName of(String metric) {
        return new SeriesName(metric, null, null);
    }

    public static SeriesName of(String metric, String labelName, String labelValue) {
        return new SeriesName(metric, labelName, labelValue);
    }

    /** Parses {@code name} or {@code name{label=value}}. */
    public static SeriesName parse(String text) {
        requireNonNull(text, "series name is null");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("series name longer than " + MAX_LENGTH + " characters");
        }
        int brace = text.indexOf('{');
        if (brace < 0) {
            return of(text);
        }
        if (!text.endsWith("}")) {
            throw new IllegalArgumentException("series name must end with '}': " + text);
        }
        String inside = text.substring(brace + 1, text.length() - 1);
        int equals = inside.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("label must be name=value: " + text);
        }
        return of(text.substring(0, brace), inside.substring(0, equals), inside.substring(equals + 1));
    }

    @Override
    public String toString() {
        return labelName == null ? metric : metric + "{" + labelName + "=" + labelValue + "}";
    }
}
