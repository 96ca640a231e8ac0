package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster as {@code GET /api/cluster} shows it.
 *
 * @param self this node's address
 * @param leader the member that moves others up and down, if there is one now
 * @param oldest the oldest up member: where the cluster singletons (notifier, rollups, retention) run
 * @param entityTypes the entity types counted in each member's {@code hosted}, in that order
 * @param hostingProblem why some entity counts are unknown (a region did not answer in time), or null
 * @param failovers newest first, grouped from {@code events}
 * @param events the newest recorded events, newest first
 */
public record ClusterSnapshot(String self, @Nullable String leader, @Nullable String oldest, List<String> entityTypes,
        List<Member> members, @Nullable String hostingProblem, List<Failover> failovers,
        List<Event> events) {
    public ClusterSnapshot {
        requireNonNull(self, "self is null");
        entityTypes = List.copyOf(entityTypes);
        members = List.copyOf(members);
        failovers = List.copyOf(failovers);
        events = List.copyOf(events);
    }

    /**
     * One member.
     *
     * @param upSince when it became up, if that was recorded
     * @param reachable false when some node's failure detector has lost it
     * @param hosted per entity type (as in {@link ClusterSnapshot#entityTypes}), what it hosts
     */
    public record Member(String address, MemberState status, List<String> roles, @Nullable Instant upSince,
            boolean reachable, boolean self, boolean leader, boolean oldest, List<Hosted> hosted) {
        public Member {
            requireNonNull(address, "address is null");
            requireNonNull(status, "status is null");
            roles = List.copyOf(roles);
            hosted = List.copyOf(hosted);
        }
    }

    /**
     * One recorded event as the API shows it (without the member's incarnation: a 64-bit id a browser cannot hold).
     *
     * @param member the member it is about (where shards arrived, for the failover phases)
     */
    public record Event(String member, ClusterEventKind kind, Instant at, String recordedBy, @Nullable String detail) {
        public Event {
            requireNonNull(member, "member is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(at, "at is null");
            requireNonNull(recordedBy, "recordedBy is null");
        }

        static Event of(RecordedEvent event) {
            return new Event(event.member(), event.kind(), event.at(), event.recordedBy(), event.detail());
        }
    }

    /**
     * How many shards and entities of one type a member hosts; both null when the count is unknown.
     *
     * @param type as in {@link HostedEntities.Type#name()}
     */
    public record Hosted(String type, @Nullable Integer shards, @Nullable Integer entities) {
        public Hosted {
            requireNonNull(type, "type is null");
        }
    }
}
