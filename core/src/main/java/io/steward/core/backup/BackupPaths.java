package io.steward.core.backup;

import java.nio.file.Path;
import java.util.List;

/** The rules every path of a backup job follows, named by the field they came from when broken. */
public final class BackupPaths {
    private BackupPaths() {}

    /**
     * {@code path} as a normalised absolute path (no trailing slash but for {@code /}), or an error naming
     * {@code field}: no {@code ..} or {@code .} segment, no control character, at most {@code max} characters.
     */
    public static String absolute(String field, String path, int max) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(field + " is required (an absolute path)");
        }
        if (path.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(field + " contains a control character");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(field + ": '" + path + "' is not an absolute path");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException(field + ": '" + path + "' must not contain '.' or '..'");
            }
        }
        String normal = path.replaceAll("/+", "/");
        return normal.length() > 1 && normal.endsWith("/") ? normal.substring(0, normal.length() - 1) : normal;
    }

    /** Whether {@code path} is {@code root} or inside it (both normalised absolute paths). */
    public static boolean within(String path, String root) {
        return Path.of(path).startsWith(Path.of(root));
    }

    /** Whether {@code path} is one of {@code roots} or inside one. */
    public static boolean withinAny(String path, List<String> roots) {
        return roots.stream().anyMatch(root -> within(path, root));
    }
}
