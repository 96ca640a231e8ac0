package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/**
 * Whether the agent is reporting, as persisted: part of {@link ServerState.Active}. The exact last report time lives
 * in the live view; {@code lastSeen} here is when it came online or the last report before it went offline.
 */
public record Presence(boolean online, Instant lastSeen, long intervalMillis) implements CborSerializable {
    static final Presence NEVER_SEEN = new Presence(false, null, 0);

    Presence apply(PresenceEvent event) {
        if (event instanceof PresenceEvent.CameOnline online) {
            return new Presence(true, online.at(), online.intervalMillis());
        }
        if (event instanceof PresenceEvent.WentOffline offline) {
            return new Presence(false, offline.lastSeen(), intervalMillis);
        }
        return this; // ReportsDropped is history only
    }
}
