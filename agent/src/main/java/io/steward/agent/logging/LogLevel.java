package io.steward.agent.logging;

import java.util.Locale;
import java.util.logging.Level;

/** How much the agent logs, as {@code --log-level} names it; each maps to the java.util.logging level SLF4J uses. */
public enum LogLevel {
    ERROR(Level.SEVERE),
    WARN(Level.WARNING),
    INFO(Level.INFO),
    DEBUG(Level.FINE);

    private final Level level;

    LogLevel(Level level) {
        this.level = level;
    }

    /** The java.util.logging level of this setting (SLF4J's debug is FINE). */
    Level level() {
        return level;
    }

    /** The level named {@code text} (any case); the message lists the accepted names. */
    public static LogLevel named(String text) {
        for (LogLevel candidate : values()) {
            if (candidate.name().equalsIgnoreCase(text.strip())) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("must be one of error, warn, info, debug");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
