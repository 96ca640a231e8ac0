package io.steward.agent.collect;

/**
 * A cursor over kernel text (/proc, /sys) held in a byte buffer: numbers and keys are read in place, so parsing a
 * file allocates nothing. The kernel writes these files in ASCII; a name is only turned into a {@code String} where
 * the wire needs one.
 */
final class ProcText {
    private byte[] bytes = new byte[0];
    private int position;
    private int end;

    /** Starts over on {@code length} bytes of {@code buffer}; returns this. */
    ProcText reset(byte[] buffer, int length) {
        this.bytes = buffer;
        this.position = 0;
        this.end = Math.min(length, buffer.length);
        return this;
    }

    /** Starts over on a string; for tests and fixtures (the collectors read files into their own buffer). */
    static ProcText of(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new ProcText().reset(bytes, bytes.length);
    }

    boolean atEnd() {
        return position >= end;
    }

    int position() {
        return position;
    }

    void position(int position) {
        this.position = Math.min(Math.max(0, position), end);
    }

    byte[] bytes() {
        return bytes;
    }

    int end() {
        return end;
    }

    /** Whether the text at the cursor starts with {@code prefix} (ASCII); the cursor does not move. */
    boolean startsWith(String prefix) {
        if (end - position < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[position + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Moves past {@code count} bytes (e.g. a key just matched). */
    void skip(int count) {
        position = Math.min(end, position + count);
    }

    /** Moves to the first byte of the next line (or the end). */
    void nextLine() {
        while (position < end && bytes[position] != '\n') {
            position++;
        }
        if (position < end) {
            position++;
        }
    }

    /** Moves past spaces and tabs (not past the end of the line). */
    void skipBlanks() {
        while (position < end && (bytes[position] == ' ' || bytes[position] == '\t')) {
            position++;
        }
    }

    /** Moves past one word (up to a blank or the end of the line), returning its start. */
    int skipWord() {
        skipBlanks();
        int start = position;
        while (position < end && !isBlankOrNewline(bytes[position])) {
            position++;
        }
        return start;
    }

    /**
     * The unsigned decimal number after any blanks on this line, or -1 when the next word is not one (the cursor is
     * then past that word). Stops at the first non-digit, so "24683548 kB" reads 24683548.
     */
    long nextLong() {
        skipBlanks();
        long value = 0;
        int digits = 0;
        while (position < end && bytes[position] >= '0' && bytes[position] <= '9') {
            value = value * 10 + (bytes[position] - '0');
            position++;
            digits++;
        }
        if (digits == 0) {
            skipWord();
            return -1;
        }
        return value;
    }

    /** The non-negative decimal fraction after any blanks ("0.52"); -1 when there is none. No rounding beyond double's. */
    double nextDecimal() {
        skipBlanks();
        long whole = 0;
        long fraction = 0;
        long scale = 1;
        int digits = 0;
        while (position < end && bytes[position] >= '0' && bytes[position] <= '9') {
            whole = whole * 10 + (bytes[position++] - '0');
            digits++;
        }
        if (position < end && bytes[position] == '.') {
            position++;
            while (position < end && bytes[position] >= '0' && bytes[position] <= '9') {
                if (scale < 1_000_000_000_000L) {
                    fraction = fraction * 10 + (bytes[position] - '0');
                    scale *= 10;
                }
                position++;
                digits++;
            }
        }
        if (digits == 0) {
            skipWord();
            return -1;
        }
        return whole + (double) fraction / scale;
    }

    /** The rest of this line after any blanks, as a string; the cursor moves to the next line. */
    String restOfLine() {
        skipBlanks();
        int start = position;
        while (position < end && bytes[position] != '\n') {
            position++;
        }
        String rest = text(start, position);
        nextLine();
        return rest;
    }

    /** Whether the {@code length} bytes from {@code start} spell {@code name} (ASCII). */
    boolean regionEquals(int start, int length, String name) {
        if (length != name.length() || start < 0 || start + length > end) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes from {@code start} up to {@code stop} as a string (UTF-8: names may hold any bytes). */
    String text(int start, int stop) {
        return new String(bytes, start, Math.max(0, Math.min(stop, end) - start), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean isBlankOrNewline(byte b) {
        return b == ' ' || b == '\t' || b == '\n';
    }
}
