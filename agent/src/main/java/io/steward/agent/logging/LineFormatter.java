package io.steward.agent.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record, as the agent logged before it used java.util.logging:
 * {@code 2026-12-01T10:15:30.123+01:00 [WARN] Link - message}, then the stack trace of an exception, if any.
 */
final class LineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(OffsetDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                .append(" [").append(levelName(record.getLevel())).append("] ")
                .append(shortName(record.getLoggerName())).append(" - ")
                .append(formatMessage(record)).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** SLF4J's names for the levels it maps to java.util.logging ones. */
    static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static String shortName(String loggerName) {
        if (loggerName == null) {
            return "";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
