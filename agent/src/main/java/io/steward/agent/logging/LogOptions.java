package io.steward.agent.logging;

import static java.util.Objects.requireNonNull;

import io.steward.agent.AgentSettings;
import java.nio.file.Path;

/**
 * Where and how much the standalone agent logs ({@code --log-file}, {@code --log-max-bytes}, {@code --log-max-files},
 * {@code --log-level}). All of it can change on a reload. An embedded agent logs through its host's logging instead.
 *
 * @param file the live log file, or null to log to stderr (the systemd journal takes it)
 * @param maxBytes the live file is rotated before it grows past this, 64KB .. 1GB
 * @param maxFiles files kept, the live one included ({@code agent.log}, {@code agent.log.1} ...), 1 .. 100
 * @param level the least severe level written
 */
public record LogOptions(Path file, long maxBytes, int maxFiles, LogLevel level) {
    public static final long DEFAULT_MAX_BYTES = 10L << 20;
    public static final long MINIMUM_MAX_BYTES = 64L << 10;
    public static final long MAXIMUM_MAX_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_FILES = 5;
    public static final int MAXIMUM_MAX_FILES = 100;
    public static final LogOptions DEFAULT =
            new LogOptions(null, DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES, LogLevel.INFO);

    public LogOptions {
        requireNonNull(level, "log-level is null");
        checkMaxBytes("log-max-bytes", maxBytes, AgentSettings.formatBytes(maxBytes));
        checkMaxFiles("log-max-files", maxFiles, Integer.toString(maxFiles));
    }

    public LogOptions withFile(Path file) {
        return new LogOptions(file, maxBytes, maxFiles, level);
    }

    public LogOptions withMaxBytes(long maxBytes) {
        return new LogOptions(file, maxBytes, maxFiles, level);
    }

    public LogOptions withMaxFiles(int maxFiles) {
        return new LogOptions(file, maxBytes, maxFiles, level);
    }

    public LogOptions withLevel(LogLevel level) {
        return new LogOptions(file, maxBytes, maxFiles, level);
    }

    /** Checks the rotation size; {@code shown} is the value as the user wrote it. */
    public static void checkMaxBytes(String name, long value, String shown) {
        if (value < MINIMUM_MAX_BYTES || value > MAXIMUM_MAX_BYTES) {
            throw new IllegalArgumentException(name + " must be between " + AgentSettings.formatBytes(MINIMUM_MAX_BYTES)
                    + " and " + AgentSettings.formatBytes(MAXIMUM_MAX_BYTES) + ", got " + shown);
        }
    }

    /** Checks the number of files kept; {@code shown} is the value as the user wrote it. */
    public static void checkMaxFiles(String name, int value, String shown) {
        if (value < 1 || value > MAXIMUM_MAX_FILES) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAXIMUM_MAX_FILES + ", got " + shown);
        }
    }
}
