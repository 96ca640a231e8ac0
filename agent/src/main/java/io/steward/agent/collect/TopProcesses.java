package io.steward.agent.collect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Picks the first {@code limit} items by an order without sorting everything (a bounded heap). */
public final class TopProcesses {
    private TopProcesses() {}

    /** The {@code limit} greatest items by {@code order}, greatest first. */
    public static <T> List<T> top(Collection<T> items, int limit, Comparator<? super T> order) {
        if (limit <= 0 || items.isEmpty()) {
            return List.of();
        }
        // Min-heap of the best so far: its head is the weakest of them and the first to go.
        PriorityQueue<T> best = new PriorityQueue<>(limit + 1, order);
        for (T item : items) {
            if (best.size() < limit) {
                best.add(item);
            } else if (order.compare(item, best.peek()) > 0) {
                best.poll();
                best.add(item);
            }
        }
        List<T> result = new ArrayList<>(best);
        result.sort(order.reversed());
        return result;
    }
}
