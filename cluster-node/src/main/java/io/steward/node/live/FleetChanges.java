package io.steward.node.live;

import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet changes one browser has not been sent yet, coalesced per server: 500 servers reporting every second
 * become one frame per flush, holding each changed server once (its newest summary) and each deleted one. Pure: the
 * session decides when to flush.
 */
final class FleetChanges {
    private final Map<String, ServerSummary> changed = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();

    void changed(ServerSummary summary) {
        removed.remove(summary.id());
        changed.put(summary.id(), summary);
    }

    void removed(String serverId) {
        changed.remove(serverId);
        removed.add(serverId);
    }

    /**
     * The snapshot was read: a change queued before it that is older than the snapshot's own view of that server is
     * dropped (it would move the browser back in time).
     */
    void olderThan(List<ServerSummary> snapshot) {
        Map<String, Instant> seen = new HashMap<>();
        for (ServerSummary summary : snapshot) {
            seen.put(summary.id(), summary.lastSeen());
        }
        changed.values().removeIf(change -> {
            Instant snapshotSeen = seen.get(change.id());
            return snapshotSeen != null && change.lastSeen() != null && change.lastSeen().isBefore(snapshotSeen);
        });
    }

    /** The frame with everything pending, which is then no longer pending; empty when there is nothing to send. */
    Optional<UiFrame.Fleet> drain() {
        if (changed.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
        }
        UiFrame.Fleet frame = new UiFrame.Fleet(false, new ArrayList<>(changed.values()), new ArrayList<>(removed));
        clear();
        return Optional.of(frame);
    }

    void clear() {
        changed.clear();
        removed.clear();
    }
}
