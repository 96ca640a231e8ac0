package io.steward.node.server;

import java.time.Instant;

/** The server's existence: first contact and deletion. */
public sealed interface LifecycleEvent extends ServerEvent {

    /** An agent attached for the first time. */
    record Registered(String hostname, String machineId, String agentVersion, Instant at) implements LifecycleEvent {}

    /** A person deleted the server; its agent is revoked and its alerts end. */
    record Deleted(String by, Instant at) implements LifecycleEvent {}
}
