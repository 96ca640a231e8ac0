package io.steward.node.server;

import java.time.Instant;

/** Whether the agent is reporting; applies to {@link Presence}. */
public sealed interface PresenceEvent extends ServerEvent {

    record CameOnline(long intervalMillis, Instant at) implements PresenceEvent {}

    /** The agent's spool overflowed while it could not reach a node: {@code count} reports were lost. */
    record ReportsDropped(long count, Instant at) implements PresenceEvent {}

    record WentOffline(Instant lastSeen, Instant at) implements PresenceEvent {}
}
