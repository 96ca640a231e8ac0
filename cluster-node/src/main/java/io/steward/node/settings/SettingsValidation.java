package io.steward.node.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a partial update of the settings does, without storing anything: every field is checked (a name the
 * node does not know, a value of the wrong kind or out of bounds, tiers whose retention shrinks from raw to one-hour),
 * and either all of it is valid or nothing is. Pure.
 */
public final class SettingsValidation {
    private SettingsValidation() {}

    /** What a PUT asks for one field: a value (text or number, as the JSON had it), or null to reset. */
    public sealed interface Requested {
        /** Back to the config file's value (the override is removed). */
        record Reset() implements Requested {}

        record Text(String value) implements Requested {}

        record Number(long value) implements Requested {}

        /** A JSON value of no acceptable type (an object, a boolean, a fraction). */
        record Unusable(String type) implements Requested {}
    }

    /** One setting's value changing: {@code before}/{@code after} are effective values. */
    public record Change(SettingKey key, String before, String after, @Nullable String storedAfter) {}

    /** What validating a request came to. */
    public sealed interface Outcome {
        /** Store {@code stored} (the whole override table afterwards); {@code changes} lists what differs. */
        record Valid(Map<SettingKey, String> stored, List<Change> changes, RuntimeSettings result)
                implements Outcome {}

        /** Field (wire name) to what is wrong with it, in the request's order; nothing may be stored. */
        record Invalid(Map<String, String> errors) implements Outcome {}
    }

    /**
     * @param configured every key's config-file value (canonical text)
     * @param stored the overrides stored now
     * @param request the fields of the request, by wire name, in its order
     */
    public static Outcome validate(Map<SettingKey, String> configured, Map<SettingKey, String> stored,
            Map<String, Requested> request) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.isEmpty()) {
            errors.put("settings", "name at least one setting to change");
            return new Outcome.Invalid(errors);
        }
        Map<SettingKey, String> next = new EnumMap<>(SettingKey.class);
        next.putAll(stored);
        for (Map.Entry<String, Requested> field : request.entrySet()) {
            Optional<SettingKey> key = SettingKey.byWireName(field.getKey());
            if (key.isEmpty()) {
                errors.put(field.getKey(), "is not a setting (known: " + known() + ")");
                continue;
            }
            if (field.getValue() instanceof Requested.Reset) {
                next.remove(key.get());
                continue;
            }
            Either value = parse(key.get(), field.getValue());
            if (value.problem() != null) {
                errors.put(field.getKey(), value.problem());
            } else if (value.text().equals(configured.get(key.get()))) {
                next.remove(key.get()); // the same as the config file: nothing to override
            } else {
                next.put(key.get(), value.text());
            }
        }
        if (!errors.isEmpty()) {
            return new Outcome.Invalid(errors);
        }
        Map<SettingKey, String> effective = effective(configured, next);
        Optional<String> shrinking = shrinkingRetention(effective);
        if (shrinking.isPresent()) {
            // Named after the field the request changed, so the form shows it where the user typed.
            String field = request.keySet().stream()
                    .filter(name -> name.startsWith("retention")).findFirst().orElse("retentionRaw");
            errors.put(field, shrinking.get());
            return new Outcome.Invalid(errors);
        }
        Map<SettingKey, String> before = effective(configured, stored);
        List<Change> changes = new ArrayList<>();
        for (SettingKey key : SettingKey.values()) {
            boolean overrideChanged = !java.util.Objects.equals(stored.get(key), next.get(key));
            if (overrideChanged) {
                changes.add(new Change(key, before.get(key), effective.get(key), next.get(key)));
            }
        }
        return new Outcome.Valid(Map.copyOf(next), List.copyOf(changes), RuntimeSettings.of(effective));
    }

    /** Every key's value in force: the override when there is one, else the config file's. */
    public static Map<SettingKey, String> effective(Map<SettingKey, String> configured, Map<SettingKey, String> stored) {
        Map<SettingKey, String> effective = new EnumMap<>(SettingKey.class);
        for (SettingKey key : SettingKey.values()) {
            String override = stored.get(key);
            effective.put(key, override != null && parse(key, new Requested.Text(override)).problem() == null
                    ? override : configured.get(key));
        }
        return effective;
    }

    private record Either(String text, @Nullable String problem) {
        static Either ok(String text) {
            return new Either(text, null);
        }

        static Either wrong(String problem) {
            return new Either("", problem);
        }
    }

    private static Either parse(SettingKey key, Requested requested) {
        return switch (key.kind()) {
            case COUNT -> count(key, requested);
            case DURATION -> duration(key, requested);
            case URL -> url(requested);
        };
    }

    private static Either count(SettingKey key, Requested requested) {
        long value;
        if (requested instanceof Requested.Number number) {
            value = number.value();
        } else if (requested instanceof Requested.Text text && text.value().strip().matches("\\d{1,9}")) {
            value = Long.parseLong(text.value().strip());
        } else {
            return Either.wrong("must be a whole number from " + key.min() + " to " + key.max());
        }
        if (value < key.min() || value > key.max()) {
            return Either.wrong("must be from " + key.min() + " to " + key.max() + ", was " + value);
        }
        return Either.ok(Long.toString(value));
    }

    private static Either duration(SettingKey key, Requested requested) {
        if (!(requested instanceof Requested.Text text)) {
            return Either.wrong("must be a duration such as " + key.minText() + " or " + key.maxText()
                    + " (a number needs a unit: d, h, m, s)");
        }
        Optional<Duration> parsed = SettingText.parseDuration(text.value());
        if (parsed.isEmpty()) {
            return Either.wrong("'" + text.value() + "' is not a duration; write e.g. 30s, 15m, 12h or 7d");
        }
        long millis = parsed.get().toMillis();
        if (millis < key.min() || millis > key.max()) {
            return Either.wrong("must be from " + key.minText() + " to " + key.maxText() + ", was "
                    + SettingText.duration(parsed.get()));
        }
        return Either.ok(SettingText.duration(parsed.get()));
    }

    private static Either url(Requested requested) {
        if (!(requested instanceof Requested.Text text)) {
            return Either.wrong("must be a URL such as https://steward.example.com, or empty");
        }
        if (text.value().length() > 500) {
            return Either.wrong("must be at most 500 characters");
        }
        return SettingText.publicUrlProblem(text.value()).map(Either::wrong)
                .orElseGet(() -> Either.ok(SettingText.publicUrl(text.value())));
    }

    private static Optional<String> shrinkingRetention(Map<SettingKey, String> effective) {
        Duration raw = SettingText.parseDuration(effective.get(SettingKey.RETENTION_RAW)).orElseThrow();
        Duration minute = SettingText.parseDuration(effective.get(SettingKey.RETENTION_ONE_MINUTE)).orElseThrow();
        Duration hour = SettingText.parseDuration(effective.get(SettingKey.RETENTION_ONE_HOUR)).orElseThrow();
        if (minute.compareTo(raw) < 0 || hour.compareTo(minute) < 0) {
            return Optional.of("retention must not shrink from raw to one-minute to one-hour (raw "
                    + SettingText.duration(raw) + ", one-minute " + SettingText.duration(minute) + ", one-hour "
                    + SettingText.duration(hour) + "): a coarser tier must keep at least as long as a finer one");
        }
        return Optional.empty();
    }

    private static String known() {
        return String.join(", ", java.util.Arrays.stream(SettingKey.values()).map(SettingKey::wireName).toList());
    }
}
