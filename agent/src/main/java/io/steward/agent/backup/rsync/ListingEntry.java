package io.steward.agent.backup.rsync;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code rsync --list-only} as the agent runs it ({@code --no-h}, {@code -l}, {@code TZ=UTC}):
 * {@code PERMS SIZE YYYY/MM/DD HH:MM:SS NAME[ -> TARGET]}.
 *
 * @param type rsync's type letter: {@code -} file, {@code d} directory, {@code l} symlink, {@code c b p s} others
 * @param permissions the nine permission characters ({@code rwxr-xr-x})
 * @param size bytes; for a symlink the length of its target
 * @param name decoded; relative to the listed directory (a path for a recursive listing)
 * @param target where a symlink points (decoded); null for anything else
 */
public record ListingEntry(char type, String permissions, long size, Instant modifiedAt, String name,
        @Nullable String target) {
    private static final Pattern LINE = Pattern.compile(
            "^([-dlcbps])([-rwxsStT]{9}) +([\\d,]+) (\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d) (.*)$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss");
    private static final byte[] ARROW = " -> ".getBytes(StandardCharsets.US_ASCII);

    public ListingEntry {
        requireNonNull(permissions, "permissions is null");
        requireNonNull(modifiedAt, "modifiedAt is null");
        requireNonNull(name, "name is null");
    }

    /** The entry a line shows; empty for anything else (a blank line, a message). */
    public static Optional<ListingEntry> parse(String line) {
        Matcher match = LINE.matcher(line);
        if (!match.matches()) {
            return Optional.empty();
        }
        char type = match.group(1).charAt(0);
        long size = Long.parseLong(match.group(3).replace(",", ""));
        Instant modified = LocalDateTime.parse(match.group(4), TIME).toInstant(ZoneOffset.UTC);
        byte[] raw = RsyncEscapes.bytes(match.group(5));
        String target = null;
        byte[] name = raw;
        if (type == 'l') {
            // "NAME -> TARGET" is ambiguous when either holds " -> "; the size column is the target's length.
            int split = raw.length - (int) size - ARROW.length;
            if (split < 0 || !Arrays.equals(raw, split, split + ARROW.length, ARROW, 0, ARROW.length)) {
                return Optional.empty();
            }
            name = Arrays.copyOfRange(raw, 0, split);
            target = RsyncEscapes.text(Arrays.copyOfRange(raw, split + ARROW.length, raw.length));
        }
        return Optional.of(new ListingEntry(type, match.group(2), size, modified, RsyncEscapes.text(name), target));
    }

    public boolean isDirectory() {
        return type == 'd';
    }

    public boolean isFile() {
        return type == '-';
    }

    public boolean isSymlink() {
        return type == 'l';
    }
}
