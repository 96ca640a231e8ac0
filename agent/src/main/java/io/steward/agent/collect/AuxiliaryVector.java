package io.steward.agent.collect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The clock tick rate and page size the kernel gave this process (/proc/self/auxv), which turn /proc's jiffies and
 * pages into milliseconds and bytes without a native call. Falls back to the Linux defaults (100 Hz, 4 KiB).
 */
record AuxiliaryVector(long clockTicksPerSecond, long pageSize) {
    private static final long AT_PAGESZ = 6;
    private static final long AT_CLKTCK = 17;
    static final AuxiliaryVector DEFAULTS = new AuxiliaryVector(100, 4096);

    static AuxiliaryVector ofThisProcess() {
        try {
            return parse(Files.readAllBytes(Path.of("/proc/self/auxv")));
        } catch (IOException e) {
            return DEFAULTS;
        }
    }

    /** Pairs of native-endian words (64-bit: this agent ships for x86_64 and arm64 only), ended by type 0. */
    static AuxiliaryVector parse(byte[] auxv) {
        ByteBuffer words = ByteBuffer.wrap(auxv).order(ByteOrder.nativeOrder());
        long ticks = DEFAULTS.clockTicksPerSecond();
        long pageSize = DEFAULTS.pageSize();
        while (words.remaining() >= 16) {
            long type = words.getLong();
            long value = words.getLong();
            if (type == 0) {
                break;
            } else if (type == AT_CLKTCK && value > 0) {
                ticks = value;
            } else if (type == AT_PAGESZ && value > 0) {
                pageSize = value;
            }
        }
        return new AuxiliaryVector(ticks, pageSize);
    }
}
