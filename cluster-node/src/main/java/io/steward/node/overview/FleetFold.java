package io.steward.node.overview;

import static java.util.Objects.requireNonNull;

import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fleet as this node last heard of it: each server's newest summary, in the servers table's order. Pure: the read
 * model's actor feeds it the entities' pushes, the answers of its asks and the servers table, and asks it whom to ask.
 *
 * <p>A change counter stands in for time: an answer counts only if nothing was pushed for its server since the ask
 * was sent, because the push is then at least as new as the answer.
 */
final class FleetFold {

    /**
     * One server: its summary; null while it is listed but not heard of yet (the entry holds its place in the table's
     * order), and once it was deleted ({@code deleted}: kept so a late answer cannot bring it back).
     */
    private record Entry(@Nullable ServerSummary summary, boolean deleted, long changedAt) {
        static final Entry LISTED = new Entry(null, false, 0);
    }

    private Map<String, Entry> entries = new LinkedHashMap<>();
    private long changes;

    /** The change counter now: pass it back with the answers of asks sent now, or with a table read begun now. */
    long mark() {
        return changes;
    }

    /**
     * An entity pushed its new summary.
     *
     * @return whether the server is new here (not in the table as last read): its place in the order is not known yet
     */
    boolean changed(ServerSummary summary) {
        Entry entry = entries.get(summary.id());
        if (entry != null && entry.deleted()) {
            return false; // pushed before the deletion, delivered after it
        }
        entries.put(summary.id(), new Entry(summary, false, ++changes));
        return entry == null;
    }

    /** An entity announced its deletion. */
    void removed(String serverId) {
        requireNonNull(serverId, "serverId is null");
        entries.put(serverId, new Entry(null, true, ++changes));
    }

    /** Summaries answered by asks sent at {@code askedAt}: each counts unless a push or a deletion came after it. */
    void answered(List<ServerSummary> answers, long askedAt) {
        for (ServerSummary answer : answers) {
            Entry entry = entries.get(answer.id());
            if (entry == null || !entry.deleted() && entry.changedAt() <= askedAt) {
                entries.put(answer.id(), new Entry(answer, false, ++changes));
            }
        }
    }

    /**
     * The servers table as read after {@code readAt}: the order becomes the table's; servers it no longer lists are
     * forgotten (a deletion whose push was lost), unless heard of after the read began (enrolled meanwhile).
     *
     * @param staleBefore a server said to be online whose last report is older than this is asked again: its entity
     *     may have gone with a node and not started elsewhere, so nothing would tell the fleet it went offline
     * @param everyone whether to ask every listed server (the periodic safety refresh: a topic delivers at most once)
     * @return the servers to ask: the listed ones not heard of yet, the stale ones, or all of them
     */
    List<String> reconcile(List<String> tableIds, long readAt, Instant staleBefore, boolean everyone) {
        Map<String, Entry> ordered = new LinkedHashMap<>();
        List<String> toAsk = new ArrayList<>();
        Set<String> listed = new HashSet<>(tableIds);
        for (String id : tableIds) {
            Entry entry = entries.getOrDefault(id, Entry.LISTED);
            ordered.put(id, entry);
            if (!entry.deleted() && (entry.summary() == null || everyone || isStale(entry.summary(), staleBefore))) {
                toAsk.add(id);
            }
        }
        entries.forEach((id, entry) -> {
            if (!listed.contains(id) && entry.changedAt() > readAt) {
                ordered.put(id, entry);
            }
        });
        entries = ordered;
        return toAsk;
    }

    private static boolean isStale(ServerSummary summary, Instant staleBefore) {
        return summary.online() && (summary.lastSeen() == null || summary.lastSeen().isBefore(staleBefore));
    }

    /** Every known server's summary, in the table's order (servers heard of since the last read at the end). */
    List<ServerSummary> summaries() {
        List<ServerSummary> summaries = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            if (entry.summary() != null) {
                summaries.add(entry.summary());
            }
        }
        return summaries;
    }
}
