package io.steward.node.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits of the agent endpoint, read once from {@code steward.ingest}.
 *
 * @param welcomeWithoutEntityAfter how long a known server's agent waits for its entity's answer to the attach before
 *     it is welcomed anyway (its reports are stored and acknowledged by the store, not the entity; see AgentConnection)
 */
public record IngestSettings(
        long maxFrameBytes,
        int maxInFlight,
        Duration frameTimeout,
        Duration handshakeTimeout,
        Duration maxClockSkew,
        Duration askTimeout,
        Duration attachTimeout,
        Duration welcomeWithoutEntityAfter,
        AgentLimits limits,
        double maxReportsPerSecond,
        int reportBurst) {

    public IngestSettings {
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("steward.ingest.max-frame must be at least 1 KiB");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("steward.ingest.handshake-timeout must be positive");
        }
        if (maxReportsPerSecond <= 0 || reportBurst < 1) {
            throw new IllegalArgumentException("steward.ingest.max-reports-per-second and report-burst must be > 0");
        }
        if (welcomeWithoutEntityAfter.isNegative() || welcomeWithoutEntityAfter.isZero()
                || welcomeWithoutEntityAfter.compareTo(attachTimeout) >= 0) {
            throw new IllegalArgumentException("steward.ingest.welcome-without-entity-after must be positive and"
                    + " shorter than steward.ingest.attach-timeout");
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
                config.getDuration("steward.http.ask-timeout"),
                ingest.getDuration("attach-timeout"),
                ingest.getDuration("welcome-without-entity-after"),
                new AgentLimits(ingest.getInt("max-services"), ingest.getInt("max-list-items"),
                        ingest.getInt("max-name-length"), ingest.getInt("max-text-length")),
                ingest.getDouble("max-reports-per-second"),
                ingest.getInt("report-burst"));
    }
}
