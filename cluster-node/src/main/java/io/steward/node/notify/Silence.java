package io.steward.node.notify;

import java.time.Instant;

/** A maintenance window: no notifications about this server and/or this rule until {@code until}. */
public record Silence(String id, String serverId, String ruleId, Instant until, String comment, String by,
        Instant createdAt) {

    public boolean covers(String server, String rule, Instant at) {
        return at.isBefore(until) && (serverId == null || serverId.equals(server))
                && (ruleId == null || ruleId.equals(rule));
    }
}
