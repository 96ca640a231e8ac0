package io.steward.agent.services.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One unit's block of {@code Key=Value} lines from {@code systemctl show}. */
record UnitProperties(Map<String, String> values) {

    UnitProperties {
        values = Map.copyOf(values);
    }

    /** The blocks of {@code systemctl show} output for several units: separated by blank lines, in argument order. */
    static List<UnitProperties> parseBlocks(String output) {
        List<UnitProperties> blocks = new ArrayList<>();
        if (output == null) {
            return blocks;
        }
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(new UnitProperties(current));
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int equals = line.indexOf('=');
            if (equals > 0) {
                current.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
            }
        }
        if (!current.isEmpty()) {
            blocks.add(new UnitProperties(current));
        }
        return blocks;
    }

    /** The value, or "" when systemd did not print the property. */
    String text(String key) {
        return values.getOrDefault(key, "");
    }

    /** The value, or null when absent or empty. */
    String textOrNull(String key) {
        String value = text(key);
        return value.isEmpty() ? null : value;
    }

    /**
     * A non-negative count, or null when it is unknown: absent, "[not set]" (accounting off), or UINT64_MAX, which
     * older systemd prints for "unset" and which does not fit a long.
     */
    Long count(String key) {
        String value = text(key);
        if (value.isEmpty() || !Character.isDigit(value.charAt(0))) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
