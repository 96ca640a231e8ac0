package io.steward.agent.backup.store;

import java.util.regex.Pattern;

/**
 * The ids of the node's backup commands name files here ({@code outbox/<id>.json}): only ids that cannot climb out
 * of a directory or hide as dot files are taken. UUIDs and {@code run-…}-style ids fit.
 */
public final class CommandIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private CommandIds() {}

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches() && !id.endsWith(AtomicFile.TEMPORARY);
    }

    /** Why {@code id} is not taken, for the refusal. */
    public static String rule() {
        return "a command id must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
}
