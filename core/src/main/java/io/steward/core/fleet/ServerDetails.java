package io.steward.core.fleet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rules for the operator-editable details of a server (display name, group, tags, notes). Pure: the entity asks
 * these before persisting anything, and the API returns the message as a 400.
 */
public final class ServerDetails {
    public static final int MAX_DISPLAY_NAME = 100;
    public static final int MAX_GROUP = 64;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 32;
    public static final int MAX_NOTES = 4000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:=-]*");

    private ServerDetails() {}

    /** An error message, or empty when the display name is acceptable (null clears it). */
    public static Optional<String> checkDisplayName(String displayName) {
        return checkText("displayName", displayName, MAX_DISPLAY_NAME);
    }

    public static Optional<String> checkGroup(String group) {
        return checkText("group", group, MAX_GROUP);
    }

    public static Optional<String> checkNotes(String notes) {
        if (notes != null && notes.length() > MAX_NOTES) {
            return Optional.of("notes must be at most " + MAX_NOTES + " characters");
        }
        return Optional.empty();
    }

    public static Optional<String> checkTags(List<String> tags) {
        if (tags == null) {
            return Optional.empty();
        }
        if (tags.size() > MAX_TAGS) {
            return Optional.of("at most " + MAX_TAGS + " tags");
        }
        for (String tag : tags) {
            if (tag == null || tag.length() > MAX_TAG || !TAG.matcher(tag).matches()) {
                return Optional.of("invalid tag '" + tag + "': 1-" + MAX_TAG
                        + " characters of letters, digits and _ . : = -, starting with a letter or digit");
            }
        }
        return Optional.empty();
    }

    /** Trimmed, de-duplicated tags in their given order. */
    public static List<String> normalizeTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        return List.copyOf(new ArrayList<>(new LinkedHashSet<>(tags.stream().map(String::trim).toList())));
    }

    /** Blank text means "cleared". */
    public static String normalizeText(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Optional<String> checkText(String field, String value, int max) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.strip().length() > max) {
            return Optional.of(field + " must be at most " + max + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(field + " must not contain control characters");
        }
        return Optional.empty();
    }
}
