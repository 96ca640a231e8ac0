package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.agent.AgentSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a link connects, in order: the configured hubs, then those the cluster named in its last welcome that are not
 * among them. The named ones are remembered in the state directory, so a restart whose configured hubs are all down
 * still finds the cluster. The link connects to {@link #current()}; every failed or lost connection moves it on to
 * the {@link #next()} one, round and round.
 *
 * <p>A named hub is used only with a scheme one of the configured hubs has: a node cannot talk an agent told
 * {@code wss://} down to plain {@code ws://}, nor send it to TLS its HTTP client was not set up for.
 *
 * <p>Used on the link's serial executor only, except {@link #current()}, which any thread may read.
 */
final class Hubs {
    private static final Logger log = LoggerFactory.getLogger(Link.class);

    private final List<URI> configured;
    private final Set<String> schemes;
    /** Where named hubs are remembered, or null when this link does not follow the cluster. */
    private final StateDirectory state;
    private List<URI> remembered;
    private List<URI> all;
    private volatile URI current;

    private Hubs(List<URI> configured, StateDirectory state, List<URI> remembered) {
        this.configured = configured;
        this.schemes = schemesOf(configured);
        this.state = state;
        this.remembered = remembered;
        this.all = merge(configured, remembered);
        this.current = all.get(0);
    }

    /**
     * The configured hubs and, when {@code state} is given, those remembered there (a file that cannot be read is
     * ignored: the configured hubs still work).
     */
    static Hubs load(List<URI> configured, StateDirectory state) {
        requireNonNull(configured, "configured is null");
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("at least one hub is required");
        }
        List<URI> copy = List.copyOf(configured);
        if (state == null) {
            return new Hubs(copy, null, List.of());
        }
        List<URI> remembered = List.of();
        try {
            remembered = usable(state.rememberedHubs(), schemesOf(copy));
        } catch (IOException e) {
            log.warn("Ignoring the remembered hubs in [{}]: {}", state.path(), e.toString());
        }
        return new Hubs(copy, state, remembered);
    }

    /** The hub connected to, or to connect to next. */
    URI current() {
        return current;
    }

    /** How many hubs a round of attempts has. */
    int size() {
        return all.size();
    }

    /** Every hub in the order they are tried. */
    List<URI> all() {
        return all;
    }

    /** Moves on to the hub after the current one (the first, past the last) and returns it. */
    URI next() {
        int index = all.indexOf(current); // -1 if a welcome dropped it: then the first is next
        current = all.get((index + 1) % all.size());
        return current;
    }

    /**
     * A welcome named {@code named} (the welcoming node's first): remembers the usable ones in place of those named
     * before. An empty list (an older node) or one with nothing usable changes nothing.
     */
    void welcomed(List<String> named) {
        if (state == null || named.isEmpty()) {
            return;
        }
        List<URI> usable = usable(named, schemes);
        if (usable.isEmpty()) {
            log.debug("The node named no hub usable with {}: {}", schemes, named);
            return;
        }
        if (usable.equals(remembered)) {
            return;
        }
        remembered = usable;
        all = merge(configured, usable);
        log.info("The cluster's hubs are {}; trying them in the order {}", usable, all);
        try {
            state.saveHubs(usable.stream().map(URI::toString).toList());
        } catch (IOException e) {
            log.warn("Cannot remember the cluster's hubs in [{}]: {}", state.path(), e.toString());
        }
    }

    /** The configured hubs, then the remembered ones not among them. */
    static List<URI> merge(List<URI> configured, List<URI> remembered) {
        LinkedHashSet<URI> merged = new LinkedHashSet<>(configured);
        merged.addAll(remembered);
        return List.copyOf(merged);
    }

    /**
     * The entries of {@code named} that are hub addresses with one of {@code schemes}, each once, in their order, at
     * most {@link StateDirectory#MAXIMUM_REMEMBERED_HUBS}. Anything else is skipped: a node's list or a file is not
     * the user's to correct.
     */
    static List<URI> usable(List<String> named, Set<String> schemes) {
        LinkedHashSet<URI> usable = new LinkedHashSet<>();
        for (String entry : named) {
            if (usable.size() == StateDirectory.MAXIMUM_REMEMBERED_HUBS) {
                break;
            }
            if (entry == null) {
                continue;
            }
            try {
                URI hub = new URI(entry.strip());
                AgentSettings.checkHub("hub", hub);
                if (schemes.contains(hub.getScheme().toLowerCase(Locale.ROOT))) {
                    usable.add(hub);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                log.debug("Skipping the hub [{}]: {}", entry, e.getMessage());
            }
        }
        return List.copyOf(usable);
    }

    private static Set<String> schemesOf(List<URI> hubs) {
        return hubs.stream().map(hub -> hub.getScheme().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return all.toString();
    }
}
