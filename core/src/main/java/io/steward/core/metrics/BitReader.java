package io.steward.core.metrics;

/** Reads what {@link BitWriter} wrote, from a slice of a byte array; reading past the slice is a corrupt chunk. */
final class BitReader {
    private final byte[] bytes;
    private final int end;
    private int position;
    private int current;
    private int available;

    BitReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    /** The next {@code count} bits (0 to 64) as the low bits of a long. */
    long read(int count) {
        long result = 0;
        while (count > 0) {
            if (available == 0) {
                if (position >= end) {
                    throw new IllegalArgumentException("corrupt chunk: a section ends early");
                }
                current = bytes[position++] & 0xFF;
                available = 8;
            }
            int take = Math.min(available, count);
            int bits = (current >>> (available - take)) & ((1 << take) - 1);
            result = (result << take) | bits;
            available -= take;
            count -= take;
        }
        return result;
    }

    boolean readBit() {
        return read(1) == 1;
    }
}
