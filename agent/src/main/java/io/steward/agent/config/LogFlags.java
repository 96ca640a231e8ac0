package io.steward.agent.config;

import io.steward.agent.config.SettingsParser.Key;
import io.steward.agent.config.SettingsParser.Value;
import io.steward.agent.logging.LogLevel;
import io.steward.agent.logging.LogOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/** The logging flags ({@code log-file}, {@code log-max-bytes}, {@code log-max-files}, {@code log-level}). */
final class LogFlags {
    private LogFlags() {}

    static LogOptions parse(Map<Key, Value> values) throws SettingsException {
        LogOptions options = LogOptions.DEFAULT;
        Value file = values.get(Key.LOG_FILE);
        if (file != null) {
            if (file.text().isBlank()) {
                throw new SettingsException(file.origin() + " must not be empty");
            }
            try {
                options = options.withFile(Path.of(file.text()));
            } catch (InvalidPathException e) {
                throw new SettingsException(file.origin() + " is not a valid path: " + e.getMessage());
            }
        }
        Value maxBytes = values.get(Key.LOG_MAX_BYTES);
        if (maxBytes != null) {
            long parsed = SettingsParser.size(maxBytes);
            SettingsParser.check(() -> LogOptions.checkMaxBytes(maxBytes.origin(), parsed, maxBytes.text()));
            options = options.withMaxBytes(parsed);
        }
        Value maxFiles = values.get(Key.LOG_MAX_FILES);
        if (maxFiles != null) {
            int parsed;
            try {
                parsed = Integer.parseInt(maxFiles.text().strip());
            } catch (NumberFormatException e) {
                throw new SettingsException(maxFiles.origin() + " must be a whole number between 1 and "
                        + LogOptions.MAXIMUM_MAX_FILES + ", got '" + maxFiles.text() + "'");
            }
            SettingsParser.check(() -> LogOptions.checkMaxFiles(maxFiles.origin(), parsed, maxFiles.text()));
            options = options.withMaxFiles(parsed);
        }
        Value level = values.get(Key.LOG_LEVEL);
        if (level != null) {
            try {
                options = options.withLevel(LogLevel.named(level.text()));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(level.origin() + " " + e.getMessage() + ", got '" + level.text() + "'");
            }
        }
        return options;
    }
}
