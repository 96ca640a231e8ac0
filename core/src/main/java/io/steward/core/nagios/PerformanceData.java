package io.steward.core.nagios;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * One value of a plugin's performance data, {@code 'label'=value[unit];[warn];[crit];[min];[max]}, as the Nagios
 * plugin guidelines write it (graphing add-ons such as PNP4Nagios and Icinga's graphite writer parse it).
 *
 * @param unit empty, {@code %}, {@code s} or {@code B}
 */
public record PerformanceData(String label, double value, String unit, Optional<NagiosRange> warning,
        Optional<NagiosRange> critical) {

    public PerformanceData {
        requireNonNull(label, "label is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(warning, "warning is null");
        requireNonNull(critical, "critical is null");
    }

    /** The unit of a Steward series by its name: percentages, byte counts, seconds; rates have none. */
    public static String unitOf(String metric) {
        if (metric.endsWith(".percent")) {
            return "%";
        }
        if (metric.equals("memory.used.bytes") || metric.equals("disk.used.bytes")) {
            return "B";
        }
        if (metric.endsWith(".seconds")) {
            return "s";
        }
        return "";
    }

    /** A value as a person and a parser both read it: at most two decimals, no exponent. */
    public static String number(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        // Quoted always: series labels hold '=' (disk.percent{mount=/}); a quote inside is doubled.
        StringBuilder data = new StringBuilder()
                .append('\'').append(label.replace("'", "''").replace('|', '/')).append("'=")
                .append(number(value)).append(unit)
                .append(';').append(warning.map(NagiosRange::text).orElse(""))
                .append(';').append(critical.map(NagiosRange::text).orElse(""));
        if (unit.equals("%")) {
            data.append(";0;100");
        }
        return data.toString();
    }
}
