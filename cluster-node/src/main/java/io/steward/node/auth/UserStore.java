package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Users (bcrypt-hashed passwords) and login sessions (random tokens, stored as SHA-256 hashes). Blocking JDBC and
 * deliberately slow hashing: call only from the blocking dispatcher.
 */
public final class UserStore {
    public enum Role { ADMIN, VIEWER }

    public record User(String username, Role role) {}

    public record Session(String token, User user, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[user=" + user + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final int bcryptCost;
    /** Compared against when the user does not exist, so a missing user takes as long as a wrong password. */
    private final String decoyHash;

    public UserStore(DataSource dataSource, Clock clock, int bcryptCost) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be within 4..31");
        }
        this.bcryptCost = bcryptCost;
        this.decoyHash = BCrypt.hashpw("decoy", BCrypt.gensalt(bcryptCost));
    }

    /**
     * Creates the {@code admin} user when there are no users yet.
     *
     * @param password the admin password to set, or null to generate one
     * @return the generated password, when one was generated
     */
    public Optional<String> ensureAdmin(String password) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM users");
                ResultSet rows = count.executeQuery()) {
            rows.next();
            if (rows.getLong(1) > 0) {
                return Optional.empty();
            }
        }
        boolean generated = password == null || password.isEmpty();
        String actual = generated ? Secrets.password() : password;
        createUser("admin", actual, Role.ADMIN);
        return generated ? Optional.of(actual) : Optional.empty();
    }

    public void createUser(String username, String password, Role role) throws SQLException {
        if (password.length() < 8) {
            throw new IllegalArgumentException("password must be at least 8 characters");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO users(username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, username);
            insert.setString(2, BCrypt.hashpw(password, BCrypt.gensalt(bcryptCost)));
            insert.setString(3, role.name());
            insert.setLong(4, clock.millis());
            insert.executeUpdate();
        }
    }

    /** The user, if the password matches. */
    public Optional<User> verify(String username, String password) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT password_hash, role FROM users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    BCrypt.checkpw(password, decoyHash);
                    return Optional.empty();
                }
                if (!BCrypt.checkpw(password, rows.getString(1))) {
                    return Optional.empty();
                }
                return Optional.of(new User(username, Role.valueOf(rows.getString(2))));
            }
        }
    }

    public Session createSession(User user, Duration ttl) throws SQLException {
        String token = Secrets.generate(Secrets.SESSION_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sessions(token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, Secrets.hash(token));
            insert.setString(2, user.username());
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, expiresAt.toEpochMilli());
            insert.executeUpdate();
        }
        return new Session(token, user, expiresAt);
    }

    /** The live session for a cookie value, if any. */
    public Optional<Session> session(String token) throws SQLException {
        if (token == null || !token.startsWith(Secrets.SESSION_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT s.username, s.expires_at, u.role FROM sessions s"
                                + " JOIN users u ON u.username = s.username WHERE s.token_hash = ?")) {
            select.setString(1, Secrets.hash(token));
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Instant expiresAt = Instant.ofEpochMilli(rows.getLong(2));
                if (!expiresAt.isAfter(clock.instant())) {
                    return Optional.empty();
                }
                return Optional.of(new Session(token,
                        new User(rows.getString(1), Role.valueOf(rows.getString(3))), expiresAt));
            }
        }
    }

    public void deleteSession(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM sessions WHERE token_hash = ?")) {
            delete.setString(1, Secrets.hash(token));
            delete.executeUpdate();
        }
    }

    /** Drops expired sessions; run periodically. */
    public int purgeExpiredSessions() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM sessions WHERE expires_at <= ?")) {
            delete.setLong(1, clock.millis());
            return delete.executeUpdate();
        }
    }
}
