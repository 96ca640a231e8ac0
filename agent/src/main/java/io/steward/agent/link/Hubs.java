package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.agent.AgentSettings;
import io.steward.core.tls.CertificatePin;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a link connects: the configured hubs and those the cluster named in its last welcome, in this agent's own
 * order ({@link HubOrder}: the first configured hub first, then an order that spreads a dead node's agents over the
 * survivors). The named ones are remembered in the state directory, so a restart whose configured hubs are all down
 * still finds the cluster. The link connects to {@link #current()}; every failed or lost connection moves it on to
 * the {@link #next()} one, round and round.
 *
 * <p>What a welcome may change, and why:
 * <ul>
 *   <li>A named hub is used only with a scheme one of the configured hubs has: a node cannot talk an agent told
 *       {@code wss://} down to plain {@code ws://}, nor send it to TLS its HTTP client was not set up for.
 *   <li>An agent with any {@code wss://} hub follows only welcomes that came over {@code wss://}: a plain
 *       connection's welcome may come from anyone on the path.
 *   <li>An agent that pins certificates ({@code --pin-sha256}) learns the pins a welcome announces for its hubs, and
 *       only from a welcome that came over {@code wss://}, which its TLS context accepted only with a pin it already
 *       trusted: every learned pin descends from a configured one through nodes that proved to hold a trusted key.
 *       Learned pins are remembered beside the hubs. A hub named without a pin stays in the rotation; its handshake
 *       succeeds only if its certificate matches a trusted pin anyway.
 * </ul>
 *
 * <p>Used on the link's serial executor only, except {@link #current()}, which any thread may read.
 */
final class Hubs {
    private static final Logger log = LoggerFactory.getLogger(Link.class);

    private final List<URI> configured;
    private final Set<String> schemes;
    private final String seed;
    /** Where named hubs are remembered, or null when this link does not follow the cluster. */
    private final StateDirectory state;
    /** The pins this agent's TLS context trusts, or null when it does not pin certificates. */
    private final TrustedPins pins;
    private List<URI> remembered;
    private List<URI> all;
    private volatile URI current;

    private Hubs(List<URI> configured, String seed, StateDirectory state, TrustedPins pins, List<URI> remembered) {
        this.configured = configured;
        this.schemes = schemesOf(configured);
        this.seed = seed;
        this.state = state;
        this.pins = pins;
        this.remembered = remembered;
        this.all = HubOrder.rotation(configured, remembered, seed);
        this.current = all.get(0);
    }

    /**
     * The configured hubs and, when {@code state} is given, those remembered there (a file that cannot be read is
     * ignored: the configured hubs still work), with the pins remembered for them added to {@code pins}.
     *
     * @param seed what makes this agent's order its own (its machine id)
     * @param pins the pins this agent trusts, or null when it does not pin certificates
     */
    static Hubs load(List<URI> configured, StateDirectory state, String seed, TrustedPins pins) {
        requireNonNull(configured, "configured is null");
        requireNonNull(seed, "seed is null");
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("at least one hub is required");
        }
        List<URI> copy = List.copyOf(configured);
        if (state == null) {
            return new Hubs(copy, seed, null, pins, List.of());
        }
        List<URI> remembered = List.of();
        try {
            remembered = usable(state.rememberedHubs(), schemesOf(copy));
            if (pins != null) {
                pins.learn(parsePins(state.rememberedHubPins()));
            }
        } catch (IOException e) {
            log.warn("Ignoring the remembered hubs in [{}]: {}", state.path(), e.toString());
        }
        return new Hubs(copy, seed, state, pins, remembered);
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
     * A welcome from {@link #current()} named {@code named} (the welcoming node's first), with the pins of those that
     * serve self-signed certificates: remembers the usable ones in place of those named before, following the rules
     * in the class comment. An empty list (an older node, or one that does not know every member yet) or one with
     * nothing usable changes nothing.
     */
    void welcomed(List<String> named, Map<String, String> namedPins) {
        if (state == null || named.isEmpty()) {
            return;
        }
        boolean verified = "wss".equalsIgnoreCase(current.getScheme());
        if (!verified && schemes.contains("wss")) {
            log.debug("Not following the hubs a plain ws:// welcome named: {}", named);
            return;
        }
        List<URI> usable = usable(named, schemes);
        if (usable.isEmpty()) {
            log.debug("The node named no hub usable with {}: {}", schemes, named);
            return;
        }
        if (pins != null && verified) {
            learnPins(usable, namedPins);
        }
        if (usable.equals(remembered)) {
            return;
        }
        remembered = usable;
        all = HubOrder.rotation(configured, usable, seed);
        log.info("The cluster's hubs are {}; trying them in the order {}", usable, all);
        try {
            state.saveHubs(usable.stream().map(URI::toString).toList());
        } catch (IOException e) {
            log.warn("Cannot remember the cluster's hubs in [{}]: {}", state.path(), e.toString());
        }
    }

    /** Trusts and remembers the pins announced for {@code usable} hubs (a malformed one is skipped). */
    private void learnPins(List<URI> usable, Map<String, String> namedPins) {
        List<String> announced = new ArrayList<>();
        for (Map.Entry<String, String> entry : namedPins.entrySet()) {
            if (usable.stream().anyMatch(hub -> hub.toString().equals(entry.getKey().strip()))) {
                announced.add(entry.getValue());
            }
        }
        List<CertificatePin> learned = parsePins(announced);
        if (learned.isEmpty()) {
            return;
        }
        pins.replaceLearned(learned);
        try {
            List<String> saved = learned.stream().map(CertificatePin::toString).sorted().toList();
            if (!saved.equals(state.rememberedHubPins().stream().sorted().toList())) {
                state.saveHubPins(saved);
                log.info("Trusting the certificate pins the cluster announced for its hubs: {}", saved);
            }
        } catch (IOException e) {
            log.warn("Cannot remember the cluster's hub pins in [{}]: {}", state.path(), e.toString());
        }
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

    /** The entries that are pins, each once, at most {@link StateDirectory#MAXIMUM_REMEMBERED_HUBS}. */
    static List<CertificatePin> parsePins(List<String> texts) {
        LinkedHashSet<CertificatePin> parsed = new LinkedHashSet<>();
        for (String text : texts) {
            if (parsed.size() == StateDirectory.MAXIMUM_REMEMBERED_HUBS) {
                break;
            }
            try {
                parsed.add(CertificatePin.parse(text));
            } catch (IllegalArgumentException | NullPointerException e) {
                log.debug("Skipping the pin [{}]: {}", text, e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    private static Set<String> schemesOf(List<URI> hubs) {
        return hubs.stream().map(hub -> hub.getScheme().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return all.toString();
    }
}
