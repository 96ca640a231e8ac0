package io.steward.agent.backup.rsync;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One {@code --info=progress2} update: {@code BYTES PCT% RATE TIME [(xfr#N, to-chk=R/T)]}. rsync separates updates
 * with {@code \r}. The byte percentage counts only data sent, so an incremental run ends far below 100: how far a
 * run is comes from the file counts ({@code to-chk}: R of T files still to check; {@code ir-chk} while the list is
 * still growing).
 *
 * @param bytes data sent so far
 * @param bytesPerSecond the current rate
 * @param files the file counts; null on lines without them
 */
public record ProgressLine(long bytes, int percent, long bytesPerSecond, @Nullable FileCounts files) {
    private static final Pattern LINE = Pattern.compile(
            "^\\s*([\\d,.]+)\\s+(\\d{1,3})%\\s+(\\d+\\.\\d\\d)([kMG]B)/s\\s+(?:\\d+:\\d\\d:\\d\\d|\\?\\?:\\?\\?:\\?\\?)"
            + "(?:\\s+\\(xfr#(\\d+), (to|ir)-chk=(\\d+)/(\\d+)\\))?\\s*$");

    /**
     * @param remaining files still to check
     * @param total files known so far
     * @param complete whether {@code total} is final ({@code to-chk}) or still growing ({@code ir-chk})
     */
    public record FileCounts(long remaining, long total, boolean complete) {
        public long done() {
            return total - remaining;
        }

        public double percent() {
            return total == 0 ? 0 : 100.0 * done() / total;
        }
    }

    public static Optional<ProgressLine> parse(String line) {
        Matcher match = LINE.matcher(line);
        if (!match.matches()) {
            return Optional.empty();
        }
        long bytes = Long.parseLong(match.group(1).replace(",", "").replace(".", ""));
        double rate = Double.parseDouble(match.group(3)) * switch (match.group(4).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1024.0;
            case "MB" -> 1024.0 * 1024;
            default -> 1024.0 * 1024 * 1024;
        };
        FileCounts files = match.group(5) == null ? null : new FileCounts(Long.parseLong(match.group(7)),
                Long.parseLong(match.group(8)), match.group(6).equals("to"));
        return Optional.of(new ProgressLine(bytes, Integer.parseInt(match.group(2)), (long) rate, files));
    }
}
