package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One message about one alert transition, fixed when it enters the outbox (what, where, how bad, since when, the
 * value and the threshold, a link), so a retry an hour later says exactly what the first attempt said.
 *
 * @param value the value that crossed (firing) or recovered (resolved); null when there is none (test, offline)
 */
public record Notification(
        Kind kind,
        Severity severity,
        String serverId,
        String serverName,
        String ruleName,
        String condition,
        String series,
        Double value,
        Instant since,
        Instant at,
        String reason,
        String link) {

    public enum Kind {
        FIRING, RESOLVED, REMINDER, TEST,
        /** A one-off warning that is not an alert episode (a certificate reached a check's warning threshold). */
        NOTICE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public Notification {
        requireNonNull(kind, "kind is null");
        requireNonNull(at, "at is null");
    }

    public static Notification test(String channelName, Instant at, String link) {
        return new Notification(Kind.TEST, Severity.WARNING, null, null, "Test notification", null, null, null, at,
                at, "sent from the channel settings of \"" + channelName + "\"", link);
    }

    /** One line: the mail subject, the chat message's first line. */
    public String subject() {
        return switch (kind) {
            case TEST -> "[Steward] Test notification";
            case FIRING -> "[" + severityLabel() + "] " + ruleName + " on " + serverName;
            case RESOLVED -> "[RESOLVED] " + ruleName + " on " + serverName;
            case REMINDER -> "[STILL " + severityLabel() + "] " + ruleName + " on " + serverName;
            case NOTICE -> "[" + severityLabel() + "] " + ruleName + " on " + serverName;
        };
    }

    /** The plain-text body, one fact per line. */
    public String text() {
        StringBuilder text = new StringBuilder();
        if (kind == Kind.TEST) {
            text.append("This is a test notification from Steward, ").append(reason).append(".\n");
            text.append("Sent: ").append(TIME.format(at)).append('\n');
            if (link != null) {
                text.append("Dashboard: ").append(link).append('\n');
            }
            return text.toString();
        }
        text.append(switch (kind) {
            case FIRING -> "Alert firing";
            case RESOLVED -> "Alert resolved";
            case NOTICE -> "Notice";
            default -> "Alert still firing";
        }).append(": ").append(ruleName).append(" (").append(severity.name().toLowerCase(Locale.ROOT)).append(")\n");
        text.append(serverId != null && serverId.startsWith("check:") ? "Check:     " : "Server:    ")
                .append(serverName).append(" (").append(serverId).append(")\n");
        if (condition != null) {
            text.append("Condition: ").append(condition).append('\n');
        }
        if (series != null) {
            text.append("Series:    ").append(series).append('\n');
        }
        if (value != null && !value.isNaN()) {
            text.append(kind == Kind.RESOLVED ? "Value now: " : "Value:     ").append(formatValue(value))
                    .append('\n');
        }
        if (since != null) {
            text.append(kind == Kind.RESOLVED ? "Fired at:  " : "Since:     ").append(TIME.format(since));
            text.append(" (").append(kind == Kind.RESOLVED ? "lasted " : "for ")
                    .append(human(Duration.between(since, at))).append(")\n");
        }
        if (reason != null && kind == Kind.RESOLVED) {
            text.append("Why:       ").append(reason).append('\n');
        }
        if (link != null) {
            text.append("Open:      ").append(link).append('\n');
        }
        return text.toString();
    }

    public String severityLabel() {
        return severity.name();
    }

    static String formatValue(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static String human(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min";
        }
        if (seconds < 86400) {
            return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
        }
        return (seconds / 86400) + " d " + (seconds % 86400 / 3600) + " h";
    }
}
