package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One member lost (or leaving) and what followed, phase by phase: unreachable, downed, removed, the shards that moved
 * and the entities that came back on the survivors.
 *
 * @param member the address of the member that was lost
 * @param endedAt when it was removed or reachable again; null while it is neither
 */
public record Failover(String member, Instant startedAt, @Nullable Instant endedAt, Outcome outcome,
        List<Phase> phases) {
    public Failover {
        requireNonNull(member, "member is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(outcome, "outcome is null");
        phases = List.copyOf(phases);
    }

    /** How it ended. */
    public enum Outcome {
        /** Neither removed nor reachable again (yet). */
        IN_PROGRESS,
        /** It was heard again before anyone downed it: nothing moved. */
        REACHABLE_AGAIN,
        /** It was downed and removed: its work moved to the survivors. */
        FAILED_OVER,
        /** It left on its own (a graceful stop), handing its work off. */
        LEFT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One step, as one node saw it.
     *
     * @param node the node the step is about (the lost member, or where shards arrived) — or, for a leader change,
     *     the new leader
     * @param recordedBy the node that wrote it down
     * @param sinceStartMillis how long after the failover began (negative for a handoff that preceded the leave)
     */
    public record Phase(ClusterEventKind kind, Instant at, String node, String recordedBy, @Nullable String detail,
            long sinceStartMillis) {
        public Phase {
            requireNonNull(kind, "kind is null");
            requireNonNull(at, "at is null");
            requireNonNull(node, "node is null");
            requireNonNull(recordedBy, "recordedBy is null");
        }
    }
}
