package io.steward.agent.backup.rsync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How rsync prints names: under {@code LC_ALL=C} every byte that is not printable ASCII (and a backslash before
 * {@code #}) comes out as {@code \#ooo} in octal. Decoding turns those back into bytes and the bytes into text
 * (UTF-8; an invalid sequence becomes U+FFFD). Any other backslash is literal, so the decoding is unambiguous.
 */
public final class RsyncEscapes {
    private RsyncEscapes() {}

    /** The bytes {@code printed} stands for (each char of {@code printed} is one byte: rsync prints ASCII here). */
    public static byte[] bytes(String printed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(printed.length());
        int i = 0;
        while (i < printed.length()) {
            char c = printed.charAt(i);
            if (c == '\\' && i + 1 < printed.length() && printed.charAt(i + 1) == '#' && octal(printed, i + 2)) {
                out.write(Integer.parseInt(printed.substring(i + 2, i + 5), 8));
                i += 5;
            } else {
                out.write(c & 0xff);
                i++;
            }
        }
        return out.toByteArray();
    }

    /** The text {@code printed} stands for. */
    public static String decode(String printed) {
        return text(bytes(printed));
    }

    /** Bytes as UTF-8 text, leniently: names on disk need not be valid UTF-8. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean octal(String text, int from) {
        if (from + 3 > text.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
