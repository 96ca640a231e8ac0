package io.steward.agent.checks;

import java.time.Duration;

/**
 * Limits of the agent's probe engine.
 *
 * @param maxChecks checks beyond this many (in the order assigned) are refused
 * @param concurrency probes running at once; the rest wait their turn
 * @param maxBodyBytes a response body is read up to this many bytes (keyword and JSON conditions see that much)
 * @param maxStartJitter each check's first run is delayed by a random time up to this (and below its interval), so
 *     checks assigned together do not all fire together
 */
public record ChecksSettings(int maxChecks, int concurrency, int maxBodyBytes, Duration maxStartJitter) {
    public static final ChecksSettings DEFAULT = new ChecksSettings(1_000, 8, 1024 * 1024, Duration.ofSeconds(60));

    public ChecksSettings {
        if (maxChecks < 1 || maxChecks > 10_000) {
            throw new IllegalArgumentException("maxChecks must be from 1 to 10000");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be from 1 to 256");
        }
        if (maxBodyBytes < 4096 || maxBodyBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be from 4 KiB to 64 MiB");
        }
        if (maxStartJitter == null || maxStartJitter.isNegative()) {
            throw new IllegalArgumentException("maxStartJitter must be zero or positive");
        }
    }
}
