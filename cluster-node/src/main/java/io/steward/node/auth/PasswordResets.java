package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * "Forgot password?" links: a random secret per request, stored as its SHA-256, valid for a short while and usable
 * once (redeeming marks it used in the same statement that checks it, so two redemptions cannot both succeed).
 * Blocking JDBC.
 */
public final class PasswordResets {
    public static final String PREFIX = "stw_reset_";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration lifetime;

    public PasswordResets(DataSource dataSource, Clock clock, Duration lifetime) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new link secret for the user. */
    public String issue(String username) throws SQLException {
        String secret = Secrets.generate(PREFIX);
        long now = clock.millis();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO password_resets(token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, Secrets.hash(secret));
            insert.setString(2, username);
            insert.setLong(3, now);
            insert.setLong(4, now + lifetime.toMillis());
            insert.executeUpdate();
        }
        return secret;
    }

    /** Whose link this is, if it is unused and unexpired; changes nothing (a cheap check before hashing). */
    public Optional<String> pending(@Nullable String secret) throws SQLException {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT username FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
            select.setString(1, Secrets.hash(secret));
            select.setLong(2, clock.millis());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** Whose link this is, if it is unused and unexpired; marks it (and the user's other links) used. */
    public Optional<String> redeem(@Nullable String secret) throws SQLException {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.hash(secret);
        long now = clock.millis();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement use = connection.prepareStatement(
                    "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
                use.setLong(1, now);
                use.setString(2, hash);
                use.setLong(3, now);
                if (use.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            String username;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT username FROM password_resets WHERE token_hash = ?")) {
                select.setString(1, hash);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    username = rows.getString(1);
                }
            }
            // The user's other links die with this one: one reset per lost password.
            try (PreparedStatement others = connection.prepareStatement(
                    "UPDATE password_resets SET used_at = ? WHERE username = ? AND used_at IS NULL")) {
                others.setLong(1, now);
                others.setString(2, username);
                others.executeUpdate();
            }
            return Optional.of(username);
        }
    }

    /** Drops links that expired or were used more than a day ago; run periodically. */
    public int purge() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM password_resets WHERE expires_at <= ?")) {
            delete.setLong(1, clock.millis() - Duration.ofDays(1).toMillis());
            return delete.executeUpdate();
        }
    }
}
