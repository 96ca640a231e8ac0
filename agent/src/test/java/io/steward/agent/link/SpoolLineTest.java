package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The segment line format, on bytes alone: what is written reads back, and what was damaged is recognised. */
class SpoolLineTest {
    private static final SpoolLine LINE = new SpoolLine(42, 1_795_000_000_000L, 3, "{\"cpu\":{\"percent\":7.5}}");

    private static SpoolLine decodeWithoutNewline(byte[] bytes) {
        return SpoolLine.decode(bytes, 0, bytes.length - 1);
    }

    @Test
    void aLineReadsBackAsWritten() {
        byte[] bytes = LINE.encode();
        assertThat(new String(bytes, UTF_8)).startsWith("42 1795000000000 3 ").endsWith("{\"cpu\":{\"percent\":7.5}}\n");
        assertThat(decodeWithoutNewline(bytes)).isEqualTo(LINE);
    }

    @Test
    void aLineInsideALargerBufferIsFoundByOffset() {
        byte[] line = LINE.encode();
        byte[] buffer = new byte[line.length + 10];
        System.arraycopy(line, 0, buffer, 5, line.length);
        assertThat(SpoolLine.decode(buffer, 5, line.length - 1)).isEqualTo(LINE);
    }

    @Test
    void aChangedByteIsRefusedByTheChecksum() {
        byte[] bytes = LINE.encode();
        int where = new String(bytes, UTF_8).indexOf("7.5");
        bytes[where] = '8';
        assertThat(decodeWithoutNewline(bytes)).isNull();
        byte[] otherSequence = LINE.encode();
        otherSequence[1] = '3'; // "43 ..."
        assertThat(decodeWithoutNewline(otherSequence)).isNull();
    }

    @Test
    void aTornOrMalformedLineIsRefused() {
        byte[] bytes = LINE.encode();
        assertThat(decodeWithoutNewline(Arrays.copyOf(bytes, bytes.length / 2))).isNull();
        assertThat(decodeWithoutNewline("3 1795000000000 0 0badc0de {\"collectedAt\":\"2026-\n".getBytes(UTF_8)))
                .isNull();
        assertThat(decodeWithoutNewline("not a spool line at all\n".getBytes(UTF_8))).isNull();
        assertThat(decodeWithoutNewline("\n".getBytes(UTF_8))).isNull();
    }

    @Test
    void sequencesBelowOneAndNegativeDropCountsAreRefused() {
        assertThat(decodeWithoutNewline(new SpoolLine(0, 1, 0, "{}").encode())).isNull();
        assertThat(decodeWithoutNewline(new SpoolLine(1, 1, -1, "{}").encode())).isNull();
    }
}
