package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Groups recorded events into failovers (pure). A failover of a member incarnation begins with the first sign that it
 * is going (unreachable, left, exited or downed) and ends when it is removed, or when it is reachable again before
 * anyone downed it or it left. Shard arrivals and entity recoveries, which are recorded by the node they happened on,
 * belong to the latest failover that ended at most the failover window before them and that either began with a
 * graceful leave at most the handoff lead after them, or had its member downed before them (a lost member's shards
 * move only then; earlier arrivals are new servers' shards or a rebalance); a leader change belongs to the failover
 * open at the time. Up events are not part of any.
 */
public final class FailoverHistory {
    private final Duration failoverWindow;
    private final Duration handoffLead;

    public FailoverHistory(Duration failoverWindow, Duration handoffLead) {
        this.failoverWindow = requireNonNull(failoverWindow, "failoverWindow is null");
        this.handoffLead = requireNonNull(handoffLead, "handoffLead is null");
    }

    /** The failovers in {@code events} (any order), newest first. */
    public List<Failover> failovers(List<RecordedEvent> events) {
        List<RecordedEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(RecordedEvent::at));
        List<Draft> drafts = new ArrayList<>();
        Map<Incarnation, Draft> open = new HashMap<>();
        for (RecordedEvent event : ordered) {
            if (isAboutTheLostMember(event.kind())) {
                follow(event, open, drafts);
            }
        }
        for (RecordedEvent event : ordered) {
            switch (event.kind()) {
                case SHARDS_MOVED, ENTITIES_RECOVERED -> attach(event, drafts, handoffLead, failoverWindow, true);
                case LEADER -> attach(event, drafts, Duration.ZERO, Duration.ZERO, false);
                case UP, UNREACHABLE, REACHABLE, LEFT, EXITED, DOWNED, REMOVED -> { }
            }
        }
        return drafts.stream()
                .map(Draft::failover)
                .sorted(Comparator.comparing(Failover::startedAt).reversed())
                .toList();
    }

    private static boolean isAboutTheLostMember(ClusterEventKind kind) {
        return switch (kind) {
            case UNREACHABLE, REACHABLE, LEFT, EXITED, DOWNED, REMOVED -> true;
            case UP, LEADER, SHARDS_MOVED, ENTITIES_RECOVERED -> false;
        };
    }

    private static void follow(RecordedEvent event, Map<Incarnation, Draft> open, List<Draft> drafts) {
        Incarnation member = new Incarnation(event.member(), event.incarnation());
        Draft draft = open.get(member);
        if (draft == null) {
            if (event.kind() == ClusterEventKind.REACHABLE) {
                return; // reachable again after a failover we do not have the start of
            }
            draft = new Draft(event.member(), event.at());
            open.put(member, draft);
            drafts.add(draft);
        }
        draft.phases.add(event);
        switch (event.kind()) {
            case REACHABLE -> {
                if (!draft.has(ClusterEventKind.DOWNED) && !draft.has(ClusterEventKind.LEFT)
                        && !draft.has(ClusterEventKind.EXITED)) {
                    draft.end(event.at(), Failover.Outcome.REACHABLE_AGAIN);
                    open.remove(member);
                }
            }
            case REMOVED -> {
                draft.end(event.at(), draft.has(ClusterEventKind.DOWNED)
                        ? Failover.Outcome.FAILED_OVER : Failover.Outcome.LEFT);
                open.remove(member);
            }
            case UNREACHABLE, LEFT, EXITED, DOWNED, UP, LEADER, SHARDS_MOVED, ENTITIES_RECOVERED -> { }
        }
    }

    /** Adds {@code event} to the latest failover it can belong to, if any. */
    private static void attach(RecordedEvent event, List<Draft> drafts, Duration before, Duration after,
            boolean movedWork) {
        Draft owner = null;
        for (Draft draft : drafts) {
            // Only a graceful leave hands shards off before it begins; a lost member's shards move once it is
            // downed (arrivals before that are new servers' shards or a rebalance, not this failover).
            Instant from = !movedWork || draft.beganByLeaving() ? draft.startedAt.minus(before) : draft.downedAt();
            boolean begunInTime = from != null && !from.isAfter(event.at());
            boolean notEndedLongBefore = draft.endedAt == null || !draft.endedAt.plus(after).isBefore(event.at());
            if (begunInTime && notEndedLongBefore && (owner == null || draft.startedAt.isAfter(owner.startedAt))) {
                owner = draft;
            }
        }
        if (owner != null) {
            owner.phases.add(event);
        }
    }

    private record Incarnation(String address, long uid) {}

    private static final class Draft {
        final String member;
        final Instant startedAt;
        final List<RecordedEvent> phases = new ArrayList<>();
        @Nullable Instant endedAt;
        Failover.Outcome outcome = Failover.Outcome.IN_PROGRESS;

        Draft(String member, Instant startedAt) {
            this.member = member;
            this.startedAt = startedAt;
        }

        boolean beganByLeaving() {
            ClusterEventKind first = phases.get(0).kind();
            return first == ClusterEventKind.LEFT || first == ClusterEventKind.EXITED;
        }

        /** When the member was downed (or removed, if the downing was not recorded); null if neither happened. */
        @Nullable Instant downedAt() {
            return phases.stream()
                    .filter(phase -> phase.kind() == ClusterEventKind.DOWNED || phase.kind() == ClusterEventKind.REMOVED)
                    .map(RecordedEvent::at).min(Comparator.naturalOrder()).orElse(null);
        }

        boolean has(ClusterEventKind kind) {
            return phases.stream().anyMatch(phase -> phase.kind() == kind);
        }

        void end(Instant at, Failover.Outcome how) {
            endedAt = at;
            outcome = how;
        }

        Failover failover() {
            List<Failover.Phase> steps = phases.stream()
                    .sorted(Comparator.comparing(RecordedEvent::at))
                    .map(event -> new Failover.Phase(event.kind(), event.at(), event.member(), event.recordedBy(),
                            event.detail(), Duration.between(startedAt, event.at()).toMillis()))
                    .toList();
            return new Failover(member, startedAt, endedAt, outcome, steps);
        }
    }
}
