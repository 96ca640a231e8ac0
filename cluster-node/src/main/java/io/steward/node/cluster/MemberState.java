package io.steward.node.cluster;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.apache.pekko.cluster.MemberStatus;

/** A member's status as the API writes it ({@code "up"}, {@code "weakly-up"}, {@code "down"}...). */
public enum MemberState {
    JOINING, WEAKLY_UP, UP, LEAVING, EXITING, DOWN, REMOVED, PREPARING_FOR_SHUTDOWN, READY_FOR_SHUTDOWN;

    public static MemberState of(MemberStatus status) {
        if (status.equals(MemberStatus.joining())) {
            return JOINING;
        } else if (status.equals(MemberStatus.weaklyUp())) {
            return WEAKLY_UP;
        } else if (status.equals(MemberStatus.up())) {
            return UP;
        } else if (status.equals(MemberStatus.leaving())) {
            return LEAVING;
        } else if (status.equals(MemberStatus.exiting())) {
            return EXITING;
        } else if (status.equals(MemberStatus.down())) {
            return DOWN;
        } else if (status.equals(MemberStatus.removed())) {
            return REMOVED;
        } else if (status.equals(MemberStatus.shuttingDown())) {
            return PREPARING_FOR_SHUTDOWN;
        } else if (status.equals(MemberStatus.shutDown())) {
            return READY_FOR_SHUTDOWN;
        }
        throw new IllegalArgumentException("unknown member status: " + status);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
