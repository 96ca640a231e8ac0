package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a directory in a snapshot, as a restore picker shows it.
 *
 * @param mode the permission bits as {@code ls} shows them ({@code rwxr-xr-x})
 * @param target where a symbolic link points; null for anything else
 */
public record TreeEntry(String name, Kind kind, long size, Instant modifiedAt, String mode, @Nullable String target) {
    public enum Kind {
        FILE, DIRECTORY, SYMLINK, OTHER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TreeEntry {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(modifiedAt, "modifiedAt is null");
        requireNonNull(mode, "mode is null");
    }
}
