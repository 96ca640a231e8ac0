package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agents a check runs from. The node resolves this to server ids whenever its fleet changes; the agent never
 * sees it (it receives only the checks it should run).
 *
 * @param values server ids for {@code servers}, one group name for {@code group}, tags for {@code tag} (a server
 *     with any of them); empty for {@code all} and {@code local}
 */
public record Vantages(Kind kind, List<String> values) {
    public static final int MAX_VALUES = 100;
    /** The default: the agent on the node's own host, when there is one. */
    public static final Vantages LOCAL = new Vantages(Kind.LOCAL, List.of());

    /** How {@link #values} are read. */
    public enum Kind {
        /** Every agent of the fleet. */
        ALL,
        /** The listed servers. */
        SERVERS,
        /** The servers of one group. */
        GROUP,
        /** The servers carrying any of the tags. */
        TAG,
        /** The node's local agent. */
        LOCAL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Vantages {
        kind = kind == null ? Kind.LOCAL : kind;
        List<String> checked = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            if (value == null || value.isBlank() || value.length() > 100 || CheckRules.hasControl(value)) {
                throw new IllegalArgumentException("vantages.values: each is 1 to 100 characters on one line");
            }
            if (!checked.contains(value.strip())) {
                checked.add(value.strip());
            }
        }
        if (checked.size() > MAX_VALUES) {
            throw new IllegalArgumentException("vantages.values: at most " + MAX_VALUES);
        }
        switch (kind) {
            case ALL, LOCAL -> {
                if (!checked.isEmpty()) {
                    throw new IllegalArgumentException("vantages.values: not used with kind '" + kind.wireName() + "'");
                }
            }
            case SERVERS, TAG -> {
                if (checked.isEmpty()) {
                    throw new IllegalArgumentException("vantages.values: name at least one for kind '"
                            + kind.wireName() + "'");
                }
            }
            case GROUP -> {
                if (checked.size() != 1) {
                    throw new IllegalArgumentException("vantages.values: name exactly one group");
                }
            }
        }
        values = List.copyOf(checked);
    }
}
