package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The order an agent tries its hubs in: the first configured hub, then every other hub (configured or remembered) in
 * an order of this agent's own, round and round.
 *
 * <p>Why not simply the configured order: agents enrolled with the same command share it, so when a node dies every
 * one of its agents would move to the same next hub, and the survivor after it would get the whole load while the
 * others idle. Instead each hub gets a rank from a hash of the agent's seed (its machine id) and the hub's address,
 * the same across restarts and independent of which other hubs are listed (a welcome adding a node moves nobody's
 * order of the others). In a cycle of random order the hub after any given one is equally likely to be each of the
 * others, so a dead node's agents spread evenly over the survivors.
 */
final class HubOrder {
    private HubOrder() {}

    /** {@code configured}'s first hub, then the others of both lists, each once, by their rank for {@code seed}. */
    static List<URI> rotation(List<URI> configured, List<URI> remembered, String seed) {
        requireNonNull(seed, "seed is null");
        LinkedHashSet<URI> all = new LinkedHashSet<>(configured);
        all.addAll(remembered);
        List<URI> ordered = new ArrayList<>(all);
        URI first = ordered.remove(0);
        ordered.sort(Comparator.<URI>comparingLong(hub -> rank(seed, hub)).thenComparing(URI::toString));
        ordered.add(0, first);
        return List.copyOf(ordered);
    }

    /** A stable pseudo-random rank of {@code hub} for this agent: the first 8 bytes of SHA-256(seed, hub). */
    static long rank(String seed, URI hub) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(seed.getBytes(UTF_8));
            digest.update((byte) 0);
            digest.update(hub.toString().getBytes(UTF_8));
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
