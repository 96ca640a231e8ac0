package io.steward.agent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The collection interval in force and where it came from. An agent's own interval ({@code --interval}, the config
 * file's {@code interval}, an embedder's {@code interval(...)}) wins; without one the agent follows the interval the
 * node's welcome suggests (the admin's "default agent interval"), kept within the agent's own bounds; without that
 * either (an older node, or none connected yet) the built-in default applies.
 *
 * @param value how often the agent collects
 * @param origin where {@code value} came from
 * @param suggestedMillis what the node suggested, as it said it (0: nothing), so the log can say a suggestion was
 *     clamped
 */
public record CollectionInterval(Duration value, Origin origin, long suggestedMillis) {

    /** Where an interval came from. */
    public enum Origin {
        /** The agent's own configuration set it. */
        LOCAL,
        /** The node suggested it in its welcome, and the agent sets none of its own. */
        NODE,
        /** Neither: {@link AgentSettings#DEFAULT_INTERVAL}. */
        DEFAULT
    }

    public CollectionInterval {
        requireNonNull(value, "value is null");
        requireNonNull(origin, "origin is null");
    }

    /**
     * Decides the interval: {@code local} when present; else the node's suggestion clamped to
     * {@link AgentSettings#MINIMUM_INTERVAL} .. {@link AgentSettings#MAXIMUM_INTERVAL}; else the default. A
     * suggestion of 0 or less means the node does not say (an older node sends none).
     */
    public static CollectionInterval decide(Optional<Duration> local, long suggestedMillis) {
        requireNonNull(local, "local is null");
        if (local.isPresent()) {
            return new CollectionInterval(local.get(), Origin.LOCAL, suggestedMillis);
        }
        if (suggestedMillis > 0) {
            return new CollectionInterval(withinBounds(Duration.ofMillis(suggestedMillis)), Origin.NODE,
                    suggestedMillis);
        }
        return new CollectionInterval(AgentSettings.DEFAULT_INTERVAL, Origin.DEFAULT, suggestedMillis);
    }

    private static Duration withinBounds(Duration suggested) {
        if (suggested.compareTo(AgentSettings.MINIMUM_INTERVAL) < 0) {
            return AgentSettings.MINIMUM_INTERVAL;
        }
        if (suggested.compareTo(AgentSettings.MAXIMUM_INTERVAL) > 0) {
            return AgentSettings.MAXIMUM_INTERVAL;
        }
        return suggested;
    }

    /** Why this interval is in force, for the log and the status: "the node suggests 10s; no local interval set". */
    public String reason() {
        return switch (origin) {
            case LOCAL -> "set locally (--interval or the config file), which wins over the node's suggestion";
            case NODE -> suggestedMillis == value.toMillis()
                    ? "the node suggests " + AgentSettings.format(value) + "; no local interval set"
                    : "the node suggests " + AgentSettings.format(Duration.ofMillis(suggestedMillis))
                            + ", kept within " + AgentSettings.format(AgentSettings.MINIMUM_INTERVAL) + ".."
                            + AgentSettings.format(AgentSettings.MAXIMUM_INTERVAL) + "; no local interval set";
            case DEFAULT -> "the default: no local interval set and no node has suggested one";
        };
    }

    @Override
    public String toString() {
        return AgentSettings.format(value) + " (" + reason() + ")";
    }
}
