package io.steward.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FreePortTest {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Test
    void readsTheWholeRangeAndHandsOutPortsBelowIt() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(RANGE), "no " + RANGE + " here");
        int low = Integer.parseInt(Files.readAllLines(RANGE).get(0).trim().split("\\s+")[0]);
        assertThat(FreePort.ephemeralLow()).isEqualTo(low);
        Assumptions.assumeTrue(low >= 11_000, "an unusual range: FreePort takes any free port");
        for (int i = 0; i < 20; i++) {
            assertThat(FreePort.find()).isBetween(10_000, low - 1);
        }
    }
}
