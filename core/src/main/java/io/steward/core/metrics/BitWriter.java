package io.steward.core.metrics;

import java.util.Arrays;

/** Appends bits most significant first into a growing byte array; the last byte is padded with zeros. */
final class BitWriter {
    private byte[] bytes = new byte[256];
    private int length;
    private int pending;
    private int pendingBits;

    /** Writes the low {@code count} bits of {@code value} (0 to 64 bits), highest first. */
    void write(long value, int count) {
        while (count > 0) {
            int take = Math.min(8 - pendingBits, count);
            int bits = (int) ((value >>> (count - take)) & ((1 << take) - 1));
            pending = (pending << take) | bits;
            pendingBits += take;
            count -= take;
            if (pendingBits == 8) {
                append((byte) pending);
                pending = 0;
                pendingBits = 0;
            }
        }
    }

    void writeBit(boolean bit) {
        write(bit ? 1 : 0, 1);
    }

    /** The bits written so far, the last byte padded with zero bits. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(bytes, length + (pendingBits > 0 ? 1 : 0));
        if (pendingBits > 0) {
            out[length] = (byte) (pending << (8 - pendingBits));
        }
        return out;
    }

    private void append(byte value) {
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[length++] = value;
    }
}
