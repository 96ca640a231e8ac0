package io.steward.node.server;

import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import java.time.Instant;

/**
 * An alert of this server changed, or its notifications were silenced; applies to {@link AlertBook}. Transitions and
 * acknowledgements (and deletion, which ends a server's alerts) carry {@link ServerEntity#ALERT_TAG}: the notifier
 * follows them; silences do not.
 */
public sealed interface AlertEvent extends ServerEvent {

    /** A rule's condition started to hold; it fires if it still holds after the rule's {@code for}. */
    record Pending(ActiveAlert alert, AlertSubject subject, Instant at) implements AlertEvent {}

    /** The condition no longer held before {@code for} ran out: nothing fired. */
    record Cancelled(ActiveAlert alert, double value, Instant at) implements AlertEvent {}

    /** {@code subject} is absent in events persisted before notifications existed. */
    record Fired(ActiveAlert alert, AlertSubject subject, Instant at) implements AlertEvent {}

    /**
     * A firing alert ended: the value recovered, or the rule no longer applies (deleted, disabled, out of scope), or
     * the series is no longer reported (a filesystem unmounted).
     */
    record Resolved(ActiveAlert alert, double value, String reason, AlertSubject subject, Instant at)
            implements AlertEvent {}

    record Acknowledged(String key, ActiveAlert.Acknowledgement acknowledgement) implements AlertEvent {
        @Override
        public Instant at() {
            return acknowledgement.at();
        }
    }

    /**
     * A maintenance window was opened for this server (the window itself lives in the silences table, which the
     * notifier reads; this event is the server's history of it).
     */
    record Silenced(String silenceId, Instant until, String by, String comment, Instant at) implements AlertEvent {}

    record SilenceEnded(String silenceId, String by, Instant at) implements AlertEvent {}
}
