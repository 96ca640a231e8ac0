package io.steward.node.notify;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.node.alerting.SeverityName;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One line of the in-app inbox (the bell); published to every browser session as it is written.
 *
 * @param serverId the server it is about; null for a line about Steward itself (a failing channel)
 */
public record InboxItem(long id, Instant at, @Nullable String serverId, @Nullable String serverName,
        SeverityName severity, Kind kind, String text) implements CborSerializable {

    /** What the line is about. */
    public enum Kind {
        /** An alert started firing. */
        FIRING,
        /** A firing alert ended. */
        RESOLVED,
        /** A notification channel failed several times in a row. */
        CHANNEL_FAILING,
        /** The notifier could not record an alert event (see the node log). */
        NOTIFIER_ERROR,
        /** A known machine enrolled again (a possible takeover): see the server's history. */
        RE_ENROLLMENT,
        /** A check's certificate reached one of its warning thresholds. */
        CERTIFICATE_EXPIRING;

        /** As stored and sent: {@code "channel-failing"}. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Kind parse(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
