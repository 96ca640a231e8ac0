package io.steward.agent.config;

import io.steward.agent.checks.CheckOptions;
import io.steward.agent.config.SettingsParser.Key;
import io.steward.agent.config.SettingsParser.Value;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/** The check flags ({@code checks}, {@code max-checks}, {@code check-concurrency}, {@code check-reference}). */
final class CheckFlags {
    private CheckFlags() {}

    static CheckOptions parse(Map<Key, Value> values) throws SettingsException {
        CheckOptions options = CheckOptions.DEFAULT;
        Value checks = values.get(Key.CHECKS);
        if (checks != null) {
            options = options.withEnabled(switch (checks.text().strip().toLowerCase(Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new SettingsException(checks.origin() + " must be on or off, got '" + checks.text()
                        + "'");
            });
        }
        Value maxChecks = values.get(Key.MAX_CHECKS);
        if (maxChecks != null) {
            int parsed = number(maxChecks, CheckOptions.MAXIMUM_MAX_CHECKS);
            SettingsParser.check(() -> CheckOptions.checkMaxChecks(maxChecks.origin(), parsed, maxChecks.text()));
            options = options.withMaxChecks(parsed);
        }
        Value concurrency = values.get(Key.CHECK_CONCURRENCY);
        if (concurrency != null) {
            int parsed = number(concurrency, CheckOptions.MAXIMUM_CONCURRENCY);
            SettingsParser.check(() -> CheckOptions.checkConcurrency(concurrency.origin(), parsed, concurrency.text()));
            options = options.withConcurrency(parsed);
        }
        Value reference = values.get(Key.CHECK_REFERENCE);
        if (reference != null) {
            URI url;
            try {
                url = new URI(reference.text().strip());
            } catch (URISyntaxException e) {
                throw new SettingsException(reference.origin() + " is not a valid URL: " + e.getMessage());
            }
            SettingsParser.check(() -> CheckOptions.checkReference(reference.origin(), url));
            options = options.withReference(url);
        }
        return options;
    }

    private static int number(Value value, int maximum) throws SettingsException {
        try {
            return Integer.parseInt(value.text().strip());
        } catch (NumberFormatException e) {
            throw new SettingsException(value.origin() + " must be a whole number between 1 and " + maximum
                    + ", got '" + value.text() + "'");
        }
    }
}
