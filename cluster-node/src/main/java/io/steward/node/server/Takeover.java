package io.steward.node.server;

import java.time.Instant;

/**
 * Whether an agent's attach may take its server over from the connection attached now. During a failover an attach
 * can wait in a sharding buffer for ~20 s while the same agent, moved on, attaches through a newer connection: the
 * stale one, delivered late, must not displace it. Connections are ordered by when their node opened them (nodes'
 * clocks are NTP-synchronised; a failover's buffering is far longer than their skew).
 */
enum Takeover {
    /** The attach takes over: the old connection is closed. */
    TAKE_OVER,
    /** Refused: another agent with this credential is connected and reporting. */
    IN_USE,
    /** Refused: the attached connection is newer than this one, which sat in a buffer. */
    STALE;

    /**
     * @param attachedAt when the attached connection was opened, null if unknown (an older node's attach)
     * @param candidateAt when the attaching connection was opened, null if unknown
     * @param online whether the server is reporting
     * @param attachedNodeLost whether the attached connection's node is unreachable or no longer up
     */
    static Takeover decide(Instant attachedAt, Instant candidateAt, boolean online, boolean attachedNodeLost) {
        // Only against a live connection: when the attached one's node is lost, it is dead whatever its time says
        // (and a survivor's clock a little behind the dead node's must not keep the agent out until the downing).
        if (!attachedNodeLost && attachedAt != null && candidateAt != null && candidateAt.isBefore(attachedAt)) {
            return STALE;
        }
        if (online && !attachedNodeLost) {
            return IN_USE; // two agents with one credential would share one report sequence and lose reports
        }
        // The older connection went silent (a half-open socket), or its node was lost (the agent moved to another
        // node after a failover): the newer one takes over.
        return TAKE_OVER;
    }
}
