package io.steward.node.live;

import com.typesafe.config.Config;
import java.time.Duration;

/** Settings of the browser live-update sockets ({@code steward.live}). */
public record LiveSettings(
        Duration flushInterval,
        int maxWatchedServers,
        long maxClientFrameBytes,
        int maxClientMessagesPerSecond,
        Duration sessionCheckInterval,
        int outputBuffer,
        Duration frameTimeout) {

    public LiveSettings {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("steward.live.flush-interval must be positive");
        }
        if (maxWatchedServers < 1) {
            throw new IllegalArgumentException("steward.live.max-watched-servers must be >= 1");
        }
        if (maxClientFrameBytes < 256) {
            throw new IllegalArgumentException("steward.live.max-client-frame must be at least 256 bytes");
        }
        if (maxClientMessagesPerSecond < 1) {
            throw new IllegalArgumentException("steward.live.max-client-messages-per-second must be >= 1");
        }
        if (outputBuffer < 16) {
            throw new IllegalArgumentException("steward.live.output-buffer must be >= 16");
        }
    }

    public static LiveSettings fromConfig(Config config) {
        Config live = config.getConfig("steward.live");
        return new LiveSettings(
                live.getDuration("flush-interval"),
                live.getInt("max-watched-servers"),
                live.getBytes("max-client-frame"),
                live.getInt("max-client-messages-per-second"),
                live.getDuration("session-check-interval"),
                live.getInt("output-buffer"),
                config.getDuration("steward.ingest.frame-timeout"));
    }
}
