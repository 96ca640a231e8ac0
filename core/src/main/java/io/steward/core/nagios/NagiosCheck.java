package io.steward.core.nagios;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One metric of one server checked against optional warning and critical ranges, as a Nagios plugin would: critical
 * wins over warning, and a value that alerts on neither is OK.
 *
 * @param metric the series name, e.g. {@code disk.percent{mount=/}}
 * @param server how the server is named in the line (its display name or hostname)
 */
public record NagiosCheck(String metric, String server, Optional<NagiosRange> warning,
        Optional<NagiosRange> critical) {

    public NagiosCheck {
        requireNonNull(metric, "metric is null");
        requireNonNull(server, "server is null");
        requireNonNull(warning, "warning is null");
        requireNonNull(critical, "critical is null");
    }

    /** Parses the ranges as given (either may be absent); a malformed one fails naming its parameter. */
    public static NagiosCheck of(String metric, String server, Optional<String> warning, Optional<String> critical) {
        return new NagiosCheck(metric, server, range("warn", warning), range("crit", critical));
    }

    /** The verdict on {@code value}, with the value as performance data. */
    public NagiosResult evaluate(double value) {
        NagiosStatus status = critical.filter(range -> range.alerts(value)).isPresent() ? NagiosStatus.CRITICAL
                : warning.filter(range -> range.alerts(value)).isPresent() ? NagiosStatus.WARNING
                : NagiosStatus.OK;
        String unit = PerformanceData.unitOf(baseMetric());
        String text = metric + " on " + server + " is " + PerformanceData.number(value) + unit;
        return new NagiosResult(status, text, Optional.of(new PerformanceData(metric, value, unit, warning,
                critical)));
    }

    private String baseMetric() {
        int brace = metric.indexOf('{');
        return brace < 0 ? metric : metric.substring(0, brace);
    }

    private static Optional<NagiosRange> range(String parameter, Optional<String> text) {
        try {
            return text.filter(value -> !value.isBlank()).map(NagiosRange::parse);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": " + e.getMessage(), e);
        }
    }
}
