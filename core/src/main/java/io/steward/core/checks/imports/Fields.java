package io.steward.core.checks.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.checks.CheckRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reading one entry's fields. The other tools wrote these files, so absent fields mean their defaults; a field of the
 * wrong type leaves the entry out ({@link Skip}) with the field named.
 */
final class Fields {
    private Fields() {}

    /** The text at {@code field} (numbers and booleans as written), or null when absent or null. */
    static @Nullable String text(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new Skip(field + ": must be text");
        }
        return value.asText();
    }

    /** As {@link #text}, with blank text as absent, stripped. */
    static @Nullable String nonBlank(JsonNode entry, String field) {
        String text = text(entry, field);
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The number at {@code field} (also written as text), or null when absent, null or empty text. */
    static @Nullable Double number(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                double parsed = Double.parseDouble(value.asText().strip());
                if (Double.isFinite(parsed)) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // falls through to the refusal below
            }
        }
        throw new Skip(field + ": must be a number, was " + clip(value.toString()));
    }

    /** The whole number at {@code field}, or null. */
    static @Nullable Integer integer(JsonNode entry, String field) {
        Double number = number(entry, field);
        if (number == null) {
            return null;
        }
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw new Skip(field + ": must be a whole number, was " + number);
        }
        return number.intValue();
    }

    /** The flag at {@code field}: true/false, 1/0 (older Uptime Kuma files), or {@code absent}. */
    static boolean flag(JsonNode entry, String field, boolean absent) {
        JsonNode value = entry.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return absent;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber() && (value.asInt() == 0 || value.asInt() == 1) && value.asDouble() == value.asInt()) {
            return value.asInt() == 1;
        }
        String text = value.isTextual() ? value.asText().strip() : "";
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new Skip(field + ": must be true or false, was " + clip(value.toString()));
        };
    }

    /**
     * The entry's name, control characters replaced by spaces and cut to Steward's limit with a note.
     *
     * @throws Skip when there is none
     */
    static String name(JsonNode entry, String field, List<String> notes) {
        String name = oneLine(text(entry, field));
        if (name == null) {
            throw new Skip(field + ": required, the entry has no name");
        }
        if (name.length() > CheckRules.MAX_NAME) {
            notes.add("name shortened to " + CheckRules.MAX_NAME + " characters");
            name = name.substring(0, CheckRules.MAX_NAME).strip();
        }
        return name;
    }

    /** The entry's name for the skipped list, whatever it holds; {@code fallback} when it has none. */
    static String label(JsonNode entry, String field, String fallback) {
        JsonNode value = entry.path(field);
        String name = value.isValueNode() ? oneLine(value.asText()) : null;
        return name == null ? fallback : clip(name);
    }

    /** A group name as a check's group: one line, at most {@link CheckRules#MAX_NAME} characters, or null. */
    static @Nullable String group(@Nullable String group) {
        String line = oneLine(group);
        return line == null ? null : line.substring(0, Math.min(line.length(), CheckRules.MAX_NAME)).strip();
    }

    /**
     * Request headers from a JSON object of name to value (values other than text written as JSON text).
     *
     * @throws Skip when {@code headers} is not an object
     */
    static Map<String, String> headers(JsonNode headers, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        if (headers.isMissingNode() || headers.isNull()) {
            return map;
        }
        if (!headers.isObject()) {
            throw new Skip(field + ": must map header names to values");
        }
        headers.properties().forEach(header -> map.put(header.getKey(),
                header.getValue().isNull() ? "" : header.getValue().isValueNode()
                        ? header.getValue().asText() : header.getValue().toString()));
        return map;
    }

    private static @Nullable String oneLine(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.isEmpty() ? null : line;
    }

    /** A short quote of file text for a note or reason. */
    static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
