package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckRules;
import io.steward.node.serialization.CborSerializable;
import org.jspecify.annotations.Nullable;

/**
 * What a person configures for a check: the definition the agents run, and the group it belongs to (for the status
 * page, the alert rules' group scope and maintenance windows) — which the agents never see.
 */
public record CheckSpec(CheckDefinition definition, @Nullable String group) implements CborSerializable {
    public static final int MAX_GROUP = 100;

    public CheckSpec {
        requireNonNull(definition, "definition is null");
        if (group != null) {
            group = group.strip();
            if (group.isEmpty()) {
                group = null;
            } else if (group.length() > MAX_GROUP || CheckRules.hasControl(group)) {
                throw new IllegalArgumentException("group: 1 to " + MAX_GROUP + " characters on one line, or absent");
            }
        }
    }

    public String name() {
        return definition.name();
    }
}
