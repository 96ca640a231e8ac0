package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A check as an agent receives it: the node's id for it and its definition. */
public record AssignedCheck(String id, CheckDefinition definition) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public AssignedCheck {
        requireNonNull(definition, "definition is null");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: 1 to 64 letters, digits, '_', '.', '-'");
        }
    }
}
