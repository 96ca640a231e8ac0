package io.steward.node.server;

import java.time.Instant;

/** What the server is, as its agent reports it; applies to {@link Identity}. */
public sealed interface IdentityEvent extends ServerEvent {

    record HostnameChanged(String from, String to, Instant at) implements IdentityEvent {}

    record AgentVersionChanged(String from, String to, Instant at) implements IdentityEvent {}

    /** An upgrade, a new kernel, a new IP address: {@code from} is null on the first report. */
    record SystemChanged(SystemIdentity from, SystemIdentity to, Instant at) implements IdentityEvent {}
}
