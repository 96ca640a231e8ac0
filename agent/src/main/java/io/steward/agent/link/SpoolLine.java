package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.zip.CRC32;

/**
 * One line of a spool segment: {@code <sequence> <collectedAt epoch ms> <carried drops> <crc32 hex> <metrics JSON>}
 * and a newline. The CRC covers the line without itself, so a torn or damaged line is recognised and skipped.
 *
 * @param carriedDrops drops this report carries in its {@code droppedReports}; counted again if it is dropped itself
 */
record SpoolLine(long sequence, long collectedAtMillis, long carriedDrops, String json) {
    SpoolLine {
        requireNonNull(json, "json is null");
    }

    /** The line's bytes, newline included. */
    byte[] encode() {
        byte[] prefix = (sequence + " " + collectedAtMillis + " " + carriedDrops).getBytes(UTF_8);
        byte[] body = (" " + json).getBytes(UTF_8);
        CRC32 crc = new CRC32();
        crc.update(prefix);
        crc.update(body);
        byte[] checksum = String.format(" %08x", crc.getValue()).getBytes(UTF_8);
        byte[] line = new byte[prefix.length + checksum.length + body.length + 1];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(checksum, 0, line, prefix.length, checksum.length);
        System.arraycopy(body, 0, line, prefix.length + checksum.length, body.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** Parses one line (without its newline), or returns null when it is torn or damaged. */
    static SpoolLine decode(byte[] bytes, int from, int length) {
        int end = from + length;
        int[] spaces = new int[4];
        int found = 0;
        for (int i = from; i < end && found < 4; i++) {
            if (bytes[i] == ' ') {
                spaces[found++] = i;
            }
        }
        if (found < 4 || spaces[3] - spaces[2] != 9) {
            return null;
        }
        try {
            long sequence = Long.parseLong(new String(bytes, from, spaces[0] - from, UTF_8));
            long collectedAt = Long.parseLong(new String(bytes, spaces[0] + 1, spaces[1] - spaces[0] - 1, UTF_8));
            long carried = Long.parseLong(new String(bytes, spaces[1] + 1, spaces[2] - spaces[1] - 1, UTF_8));
            long checksum = Long.parseLong(new String(bytes, spaces[2] + 1, 8, UTF_8), 16);
            CRC32 crc = new CRC32();
            crc.update(bytes, from, spaces[2] - from);
            crc.update(bytes, spaces[3], end - spaces[3]);
            if (crc.getValue() != checksum || sequence < 1 || carried < 0) {
                return null;
            }
            return new SpoolLine(sequence, collectedAt, carried, new String(bytes, spaces[3] + 1,
                    end - spaces[3] - 1, UTF_8));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
