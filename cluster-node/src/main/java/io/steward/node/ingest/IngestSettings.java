package io.steward.node.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/** Limits of the agent endpoint, read once from {@code steward.ingest}. */
public record IngestSettings(
        long maxFrameBytes,
        int maxInFlight,
        Duration frameTimeout,
        Duration handshakeTimeout,
        Duration maxClockSkew,
        Duration askTimeout) {

    public IngestSettings {
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("steward.ingest.max-frame must be at least 1 KiB");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("steward.ingest.max-in-flight must be >= 1");
        }
    }

    public static IngestSettings fromConfig(Config config) {
        Config ingest = config.getConfig("steward.ingest");
        return new IngestSettings(
                ingest.getBytes("max-frame"),
                ingest.getInt("max-in-flight"),
                ingest.getDuration("frame-timeout"),
                ingest.getDuration("handshake-timeout"),
                ingest.getDuration("max-clock-skew"),
                config.getDuration("steward.http.ask-timeout"));
    }
}
