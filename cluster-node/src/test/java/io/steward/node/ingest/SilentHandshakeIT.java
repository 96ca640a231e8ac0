package io.steward.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.node.StewardNode;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection that says nothing is closed once the (configurable) handshake timeout has passed. */
class SilentHandshakeIT {
    @TempDir
    Path dataDir;

    @Test
    void aSilentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (StewardNode node = StewardNode.start(ConfigFactory.parseString("steward.ingest.handshake-timeout = 1s")
                .withFallback(TestNodes.h2(dataDir)).resolve())) {
            long before = node.ingestCounters().errors(ErrorCode.NOT_AUTHENTICATED);
            long opened = System.nanoTime();
            try (RawAgentSocket silent = new RawAgentSocket(node.httpPort())) {
                NodeMessage message = silent.next();
                assertThat(message).isInstanceOf(NodeMessage.Error.class);
                NodeMessage.Error error = (NodeMessage.Error) message;
                assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
                assertThat(error.fatal()).isTrue();
                assertThat(error.message()).contains("no hello");
                assertThat(silent.awaitClosed(Duration.ofSeconds(5))).isTrue();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - opened);
            // Closed by the 1 s setting, not the 10 s default.
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(8));
            assertThat(node.ingestCounters().errors(ErrorCode.NOT_AUTHENTICATED)).isEqualTo(before + 1);
        }
    }
}
