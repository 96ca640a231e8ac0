package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import io.steward.node.problem.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * API tokens for scripts ({@code Authorization: Bearer stw_token_…}). Only the SHA-256 of a token is stored; the
 * secret is shown once, when created. A token acts as its user with at most its scope: a read-only token is a viewer
 * even for an admin, and an admin token of a user demoted to viewer is a viewer too. A disabled or deleted user's
 * tokens stop working at once. Blocking JDBC.
 */
public final class ApiTokens {
    public static final String PREFIX = "stw_token_";
    public static final int MAX_NAME = 100;
    /** Last use is written at most this often per token, not on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(10);

    /** What a token may do. */
    public enum Scope {
        READ_ONLY, ADMIN;

        /** "read-only", "admin": how the API spells a scope. */
        public String wireName() {
            return this == READ_ONLY ? "read-only" : "admin";
        }

        public static Scope parse(String field, @Nullable String text) {
            for (Scope scope : values()) {
                if (scope.wireName().equals(text)) {
                    return scope;
                }
            }
            throw Problem.invalid(field + " must be \"read-only\" or \"admin\"");
        }
    }

    /** A token as listed (never its secret). */
    public record Token(String id, String username, String name, Scope scope, Instant createdAt,
            @Nullable Instant lastUsedAt, @Nullable String lastUsedFrom) {}

    /** A token just created: the only time its secret exists outside the caller's hands. */
    public record Created(Token token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + "]";
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public ApiTokens(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Created create(String username, String name, Scope scope) throws SQLException {
        String secret = Secrets.generate(PREFIX);
        Token token = new Token("tok-" + Secrets.suffix(10), username, name, scope, clock.instant(), null, null);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO api_tokens(id, token_hash, username, name, scope, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, token.id());
            insert.setString(2, Secrets.hash(secret));
            insert.setString(3, username);
            insert.setString(4, name);
            insert.setString(5, scope.name());
            insert.setLong(6, token.createdAt().toEpochMilli());
            insert.executeUpdate();
        }
        return new Created(token, secret);
    }

    /** Every token, or one user's when {@code username} is given; newest first. */
    public List<Token> list(@Nullable String username) throws SQLException {
        List<Token> tokens = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, username, name, scope, created_at, last_used_at, last_used_from FROM api_tokens"
                                + (username == null ? "" : " WHERE username = ?") + " ORDER BY created_at DESC")) {
            if (username != null) {
                select.setString(1, username);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
        }
        return tokens;
    }

    public Optional<Token> find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, username, name, scope, created_at, last_used_at, last_used_from FROM api_tokens"
                                + " WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
    }

    /** Revokes (deletes) a token; false when there is none with this id. */
    public boolean revoke(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM api_tokens WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() > 0;
        }
    }

    /** Whom a bearer secret acts as, and with which role; records the use. Empty for an unknown or revoked token. */
    /** Revokes every token of the user (its password was reset: whoever had the account may hold one). */
    public int revokeAll(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM api_tokens WHERE username = ?")) {
            delete.setString(1, username);
            return delete.executeUpdate();
        }
    }

    public Optional<UserStore.User> authenticate(@Nullable String secret, String from) throws SQLException {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.hash(secret);
        try (Connection connection = dataSource.getConnection()) {
            UserStore.User user;
            long lastUsed;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT t.username, t.scope, u.role, t.last_used_at FROM api_tokens t"
                            + " JOIN users u ON u.username = t.username"
                            + " WHERE t.token_hash = ? AND u.disabled = FALSE")) {
                select.setString(1, hash);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    boolean admin = Scope.valueOf(rows.getString(2)) == Scope.ADMIN
                            && UserStore.Role.valueOf(rows.getString(3)) == UserStore.Role.ADMIN;
                    user = new UserStore.User(rows.getString(1), admin ? UserStore.Role.ADMIN : UserStore.Role.VIEWER);
                    lastUsed = rows.getLong(4);
                    if (rows.wasNull()) {
                        lastUsed = Long.MIN_VALUE;
                    }
                }
            }
            long now = clock.millis();
            if (lastUsed == Long.MIN_VALUE || now - lastUsed >= TOUCH_EVERY.toMillis()) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE api_tokens SET last_used_at = ?, last_used_from = ? WHERE token_hash = ?")) {
                    update.setLong(1, now);
                    update.setString(2, from.length() > 64 ? from.substring(0, 64) : from);
                    update.setString(3, hash);
                    update.executeUpdate();
                }
            }
            return Optional.of(user);
        }
    }

    private static Token token(ResultSet rows) throws SQLException {
        long used = rows.getLong(6);
        Instant lastUsedAt = rows.wasNull() ? null : Instant.ofEpochMilli(used);
        return new Token(rows.getString(1), rows.getString(2), rows.getString(3), Scope.valueOf(rows.getString(4)),
                Instant.ofEpochMilli(rows.getLong(5)), lastUsedAt, rows.getString(7));
    }
}
