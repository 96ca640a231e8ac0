package io.steward.core.checks.imports;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckDefinition;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an import made of a file: the checks to create and the entries left out. Every monitor or endpoint of the file
 * is in exactly one of the two lists, each list in file order.
 */
public record ImportResult(List<Imported> checks, List<Skipped> skipped) {
    public ImportResult {
        checks = List.copyOf(requireNonNull(checks, "checks is null"));
        skipped = List.copyOf(requireNonNull(skipped, "skipped is null"));
    }

    /**
     * A check made from one entry.
     *
     * @param group the group the entry belonged to in the other tool, for the check's {@code group}; null for none
     * @param notes what was approximated, clamped or left out, in words for the user reviewing the import
     */
    public record Imported(CheckDefinition definition, @Nullable String group, List<String> notes) {
        public Imported {
            requireNonNull(definition, "definition is null");
            notes = List.copyOf(requireNonNull(notes, "notes is null"));
        }
    }

    /** An entry not imported, and why (in words for the user). */
    public record Skipped(String name, String reason) {
        public Skipped {
            requireNonNull(name, "name is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
