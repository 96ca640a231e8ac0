package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One recorded fact about a member.
 *
 * @param member the member's cluster address ({@code pekko://steward@host:port})
 * @param incarnation the member's unique id: a node restarted on the same address is a new incarnation (0 where the
 *     event names only an address, as a leader change does)
 * @param recordedBy the address of the node that wrote it down (the first of those that saw it)
 * @param detail what else is worth knowing ("was down", "12 server shards"), never a secret
 */
public record RecordedEvent(String member, long incarnation, ClusterEventKind kind, Instant at, String recordedBy,
        @Nullable String detail) {
    public RecordedEvent {
        requireNonNull(member, "member is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(at, "at is null");
        requireNonNull(recordedBy, "recordedBy is null");
    }
}
