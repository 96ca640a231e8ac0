package io.steward.node.cluster;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** What happened to a member, or on a node during a failover. */
public enum ClusterEventKind {
    /** The member became Up (it joined). */
    UP(false),
    /** Some node's failure detector lost the member. */
    UNREACHABLE(true),
    /** Every node that had lost the member hears it again. */
    REACHABLE(true),
    /** The member asked to leave (a graceful stop). */
    LEFT(false),
    /** The member handed its work off and is leaving. */
    EXITED(false),
    /** The split-brain resolver (or an operator) declared the member down. */
    DOWNED(false),
    /** The member is no longer part of the cluster. */
    REMOVED(false),
    /** The member became the cluster's leader. */
    LEADER(true),
    /** Shards that lived elsewhere arrived at this member after another member was lost or left. */
    SHARDS_MOVED(true),
    /** The entities of those shards run again on this member. */
    ENTITIES_RECOVERED(true);

    private final boolean repeatable;

    ClusterEventKind(boolean repeatable) {
        this.repeatable = repeatable;
    }

    /** Whether this can happen more than once to one member incarnation (a member flaps, leadership returns). */
    public boolean repeatable() {
        return repeatable;
    }

    /**
     * The slot of the table's unique key ({@code member, incarnation, kind, slot}) that makes the copies of one event,
     * seen by several nodes at slightly different times, a single row. Once-per-incarnation kinds have one slot, so
     * their copies always collide however late a node sees them; repeatable kinds get a bucket of {@code window},
     * and {@link ClusterEventStore} also refuses a copy within {@code window} of a recorded one, so copies that fall
     * on both sides of a bucket boundary collide too (unless two nodes insert them in the same instant).
     */
    public long dedupSlot(Instant at, Duration window) {
        return repeatable ? Math.floorDiv(at.toEpochMilli(), window.toMillis()) : 0;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** From a stored name; an unknown one is a clear error naming it. */
    public static ClusterEventKind parse(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cluster event kind: " + name, e);
        }
    }

    /** Whether this tells that another member is going away, after which shard arrivals are failover phases. */
    public boolean isLoss() {
        return switch (this) {
            case UNREACHABLE, LEFT, EXITED, DOWNED, REMOVED -> true;
            case UP, REACHABLE, LEADER, SHARDS_MOVED, ENTITIES_RECOVERED -> false;
        };
    }
}
