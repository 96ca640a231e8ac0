package io.steward.agent.backup.rsync;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What rsync's {@code --stats} says about one transfer.
 *
 * @param files every entry of the transfer (files, directories, links…)
 * @param regularFiles regular files among them
 * @param regularFilesTransferred regular files sent (new or changed); hard-linked ones are not
 * @param totalFileSize the size of every listed file
 * @param literalData file data actually sent
 * @param matchedData file data rebuilt from a basis on the receiver (a resumed partial, a changed file)
 */
public record TransferStats(long files, long regularFiles, long regularFilesTransferred, long totalFileSize,
        long literalData, long matchedData) {
    private static final String NUMBER = "([\\d,]+)";
    private static final Pattern FILES = Pattern.compile("^Number of files: " + NUMBER + "(?: \\((.*)\\))?$");
    private static final Pattern REGULAR = Pattern.compile("(?:^|, )reg: " + NUMBER);
    private static final Pattern TRANSFERRED = Pattern.compile("^Number of regular files transferred: " + NUMBER + "$");
    private static final Pattern TOTAL_SIZE = Pattern.compile("^Total file size: " + NUMBER + " bytes$");
    private static final Pattern LITERAL = Pattern.compile("^Literal data: " + NUMBER + " bytes$");
    private static final Pattern MATCHED = Pattern.compile("^Matched data: " + NUMBER + " bytes$");

    /** Collects the stats from rsync's stdout, line by line; other lines are ignored. */
    public static final class Reader {
        private long files = -1;
        private long regularFiles;
        private long transferred = -1;
        private long totalSize = -1;
        private long literal = -1;
        private long matched;

        /** Returns whether {@code line} was one of the stats' figures (not its "sent …" summary). */
        public boolean accept(String line) {
            Matcher match = FILES.matcher(line);
            if (match.matches()) {
                files = number(match.group(1));
                Matcher regular = REGULAR.matcher(match.group(2) == null ? "" : match.group(2));
                regularFiles = regular.find() ? number(regular.group(1)) : 0;
                return true;
            }
            if ((match = TRANSFERRED.matcher(line)).matches()) {
                transferred = number(match.group(1));
            } else if ((match = TOTAL_SIZE.matcher(line)).matches()) {
                totalSize = number(match.group(1));
            } else if ((match = LITERAL.matcher(line)).matches()) {
                literal = number(match.group(1));
            } else if ((match = MATCHED.matcher(line)).matches()) {
                matched = number(match.group(1));
            } else {
                return line.startsWith("Number of ") || line.startsWith("Total ") || line.startsWith("File list ");
            }
            return true;
        }

        /** The stats, once rsync printed them (a killed rsync prints none). */
        public Optional<TransferStats> stats() {
            if (files < 0 || transferred < 0 || totalSize < 0 || literal < 0) {
                return Optional.empty();
            }
            return Optional.of(new TransferStats(files, regularFiles, transferred, totalSize, literal, matched));
        }

        private static long number(String text) {
            return Long.parseLong(text.replace(",", ""));
        }
    }
}
