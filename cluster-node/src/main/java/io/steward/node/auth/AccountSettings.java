package io.steward.node.auth;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Accounts, sessions and login throttling, read once from {@code steward.auth}.
 *
 * @param maxLoginAttemptsPerAddress attempts one client address may make across all usernames in the window
 */
public record AccountSettings(
        int bcryptCost,
        int hashingThreads,
        int hashingQueue,
        Duration sessionIdleTimeout,
        Duration sessionPurgeInterval,
        Duration resetLinkTtl,
        int maxLoginAttemptsPerAddress) {

    public AccountSettings {
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("steward.auth.session-idle-timeout must be positive");
        }
        if (sessionPurgeInterval.isNegative() || sessionPurgeInterval.isZero()) {
            throw new IllegalArgumentException("steward.auth.session-purge-interval must be positive");
        }
        if (resetLinkTtl.isNegative() || resetLinkTtl.isZero()) {
            throw new IllegalArgumentException("steward.auth.reset-link-ttl must be positive");
        }
        if (hashingThreads < 1 || hashingQueue < 1) {
            throw new IllegalArgumentException("steward.auth.hashing-threads and hashing-queue must be >= 1");
        }
        if (maxLoginAttemptsPerAddress < 1) {
            throw new IllegalArgumentException("steward.auth.max-login-attempts-per-address must be >= 1");
        }
    }

    public static AccountSettings fromConfig(Config config) {
        Config auth = config.getConfig("steward.auth");
        return new AccountSettings(
                auth.getInt("bcrypt-cost"),
                auth.getInt("hashing-threads"),
                auth.getInt("hashing-queue"),
                auth.getDuration("session-idle-timeout"),
                auth.getDuration("session-purge-interval"),
                auth.getDuration("reset-link-ttl"),
                auth.getInt("max-login-attempts-per-address"));
    }
}
