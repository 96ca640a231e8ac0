package io.steward.agent.backup.rsync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** rsync's real output captured by the prototype (src/test/resources/rsync), one byte per char as the agent reads. */
final class Fixtures {
    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/rsync/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's lines as rsync's output splits them: progress updates end with \r, everything else with \n. */
    static List<String> lines(String name) {
        return Arrays.stream(text(name).split("[\r\n]")).filter(line -> !line.isBlank()).toList();
    }

    /** Each \n-terminated line (stderr: ssh's own lines keep their trailing \r, as the agent receives them). */
    static List<String> stderrLines(String name) {
        return Arrays.stream(text(name).split("\n")).toList();
    }
}
