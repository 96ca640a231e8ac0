package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import io.steward.node.problem.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Users (bcrypt-hashed passwords, admin or viewer, enabled or disabled) and login sessions (random tokens, stored as
 * SHA-256 hashes, ended by their absolute lifetime or by being idle). Blocking JDBC: call only from the blocking
 * dispatcher. Hashing is {@link PasswordHashing}'s, on its own pool; this store only keeps hashes.
 */
public final class UserStore {
    public static final int MAX_USERNAME = 64;
    public static final int MAX_EMAIL = 254;

    public enum Role {
        ADMIN, VIEWER;

        /** "admin", "viewer": how the API spells a role. */
        public static Role parse(String field, @Nullable String text) {
            if (text != null) {
                for (Role role : values()) {
                    if (role.name().equalsIgnoreCase(text)) {
                        return role;
                    }
                }
            }
            throw Problem.invalid(field + " must be \"admin\" or \"viewer\"");
        }
    }

    /** Who a request acts as: a user, with the role in force (a read-only API token acts as a viewer). */
    public record User(String username, Role role) {}

    /** A user as the Users page shows it. */
    public record Account(String username, Role role, @Nullable String email, boolean disabled, Instant createdAt,
            @Nullable Instant passwordChangedAt) {}

    /** What an admin changes of an account; null leaves a value as it is ({@code email} "" clears it). */
    public record Change(@Nullable Role role, @Nullable Boolean disabled, @Nullable String email) {}

    /** What a login is checked against. */
    public record Credentials(User user, String passwordHash) {
        @Override
        public String toString() {
            return "Credentials[" + user + "]";
        }
    }

    public record Session(String token, User user, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[user=" + user + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final PasswordHashing hashing;
    private final Duration idleTimeout;
    /** A session's last use is written at most this often, not on every request. */
    private final Duration touchEvery;

    public UserStore(DataSource dataSource, Clock clock, PasswordHashing hashing, Duration idleTimeout) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.hashing = requireNonNull(hashing, "hashing is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("steward.auth.session-idle-timeout must be positive");
        }
        this.idleTimeout = idleTimeout;
        Duration tenth = idleTimeout.dividedBy(10);
        this.touchEvery = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    /**
     * Creates the {@code admin} user when there are no users yet.
     *
     * @param password the admin password to set, or null to generate one
     * @return the generated password, when one was generated
     */
    public Optional<String> ensureAdmin(@Nullable String password) throws SQLException {
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
        PasswordHashing.checkStrength("steward.admin-password", actual);
        create("admin", hashing.hashNow(actual), Role.ADMIN, null);
        return generated ? Optional.of(actual) : Optional.empty();
    }

    /** Adds a user; a name already taken is a {@link Problem.Code#CONFLICT}. */
    public void create(String username, String passwordHash, Role role, @Nullable String email) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (exists(connection, username)) {
                throw Problem.conflict("a user named \"" + username + "\" already exists");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO users(username, password_hash, role, created_at, email, disabled, password_changed_at)"
                            + " VALUES (?, ?, ?, ?, ?, FALSE, ?)")) {
                long now = clock.millis();
                insert.setString(1, username);
                insert.setString(2, passwordHash);
                insert.setString(3, role.name());
                insert.setLong(4, now);
                setNullable(insert, 5, email);
                insert.setLong(6, now);
                insert.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw Problem.conflict("a user named \"" + username + "\" already exists");
                }
                throw e;
            }
        }
    }

    public List<Account> accounts() throws SQLException {
        List<Account> accounts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT username, role, email, disabled, created_at, password_changed_at FROM users"
                                + " ORDER BY username");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                accounts.add(account(rows));
            }
        }
        return accounts;
    }

    public Optional<Account> account(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT username, role, email, disabled, created_at, password_changed_at FROM users"
                                + " WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(account(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Changes role, enabled state or email. Taking away the last enabled admin (by demoting or disabling) is a
     * {@link Problem.Code#CONFLICT} (checked in the same statement as the change). Disabling ends the user's
     * sessions; a disabled user's API tokens stop working at once.
     *
     * @return the account as changed, or empty when there is no such user
     */
    public Optional<Account> update(String username, Change change) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!exists(connection, username)) {
                    connection.rollback();
                    return Optional.empty();
                }
                boolean losesAdmin = change.role() == Role.VIEWER || Boolean.TRUE.equals(change.disabled());
                if (losesAdmin) {
                    lockEnabledAdmins(connection);
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE users SET role = COALESCE(?, role), disabled = COALESCE(?, disabled),"
                                + " email = CASE WHEN ? THEN ? ELSE email END WHERE username = ?"
                                + (losesAdmin ? " AND " + ANOTHER_ADMIN_REMAINS : ""))) {
                    setNullable(update, 1, change.role() == null ? null : change.role().name());
                    if (change.disabled() == null) {
                        update.setNull(2, Types.BOOLEAN);
                    } else {
                        update.setBoolean(2, change.disabled());
                    }
                    update.setBoolean(3, change.email() != null);
                    setNullable(update, 4, change.email() == null || change.email().isEmpty() ? null : change.email());
                    update.setString(5, username);
                    if (losesAdmin) {
                        update.setString(6, username);
                    }
                    if (update.executeUpdate() == 0) {
                        throw Problem.conflict("\"" + username + "\" is the last enabled admin; make another user"
                                + " admin first");
                    }
                }
                if (Boolean.TRUE.equals(change.disabled())) {
                    endSessions(connection, username, null);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return account(username);
    }

    /** Deletes a user with its sessions, API tokens and reset links; never the last enabled admin. */
    public boolean delete(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!exists(connection, username)) {
                    connection.rollback();
                    return false;
                }
                lockEnabledAdmins(connection);
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM users WHERE username = ? AND (role <> 'ADMIN' OR disabled OR "
                                + ANOTHER_ADMIN_REMAINS + ")")) {
                    delete.setString(1, username);
                    delete.setString(2, username);
                    if (delete.executeUpdate() == 0) {
                        throw Problem.conflict("\"" + username + "\" is the last enabled admin; make another user"
                                + " admin first");
                    }
                }
                for (String table : List.of("sessions", "api_tokens", "password_resets")) {
                    try (PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM " + table + " WHERE username = ?")) {
                        delete.setString(1, username);
                        delete.executeUpdate();
                    }
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Locks the enabled admins' rows until the transaction ends, so two admins demoting, disabling or deleting each
     * other at the same instant run one after the other and the second sees the first's change (read committed alone
     * lets both pass the "another admin remains" check).
     */
    private static void lockEnabledAdmins(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT username FROM users WHERE role = 'ADMIN' AND disabled = FALSE FOR UPDATE");
                ResultSet rows = lock.executeQuery()) {
            while (rows.next()) {
                rows.getString(1); // read through: the rows are locked as they are fetched
            }
        }
    }

    /** An enabled user with at least one other enabled admin; the parameter is the user's name. */
    private static final String ANOTHER_ADMIN_REMAINS =
            "(SELECT COUNT(*) FROM users other WHERE other.role = 'ADMIN' AND other.disabled = FALSE"
                    + " AND other.username <> ?) > 0";

    /**
     * Sets a new password hash and ends the user's sessions except {@code keepSession} (the one that changed it).
     *
     * @return false when there is no such user
     */
    public boolean setPasswordHash(String username, String passwordHash, @Nullable String keepSession)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?")) {
                update.setString(1, passwordHash);
                update.setLong(2, clock.millis());
                update.setString(3, username);
                if (update.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                endSessions(connection, username, keepSession);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** An enabled user and the hash a password is checked against; empty for an unknown or disabled user. */
    public Optional<Credentials> credentials(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT password_hash, role FROM users WHERE username = ? AND disabled = FALSE")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Credentials(new User(username, Role.valueOf(rows.getString(2))),
                                rows.getString(1)))
                        : Optional.empty();
            }
        }
    }

    /** The enabled user's email address, if it has one (for password reset links). */
    public Optional<String> email(String username) throws SQLException {
        return account(username).filter(account -> !account.disabled()).map(Account::email);
    }

    public Session createSession(User user, Duration ttl) throws SQLException {
        String token = Secrets.generate(Secrets.SESSION_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sessions(token_hash, username, created_at, expires_at, last_used_at)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, Secrets.hash(token));
            insert.setString(2, user.username());
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, expiresAt.toEpochMilli());
            insert.setLong(5, now.toEpochMilli());
            insert.executeUpdate();
        }
        return new Session(token, user, expiresAt);
    }

    /** The live session for a cookie value, if any; counts as a use (it keeps an idle session alive). */
    public Optional<Session> session(String token) throws SQLException {
        return lookUp(token, true);
    }

    /** Whether the session is still live, without counting as a use (an open live socket is not activity). */
    public boolean isSessionAlive(String token) throws SQLException {
        return lookUp(token, false).isPresent();
    }

    private Optional<Session> lookUp(@Nullable String token, boolean touch) throws SQLException {
        if (token == null || !token.startsWith(Secrets.SESSION_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.hash(token);
        try (Connection connection = dataSource.getConnection()) {
            Instant now = clock.instant();
            Session session;
            Instant lastUsed;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT s.username, s.expires_at, u.role, s.last_used_at, s.created_at FROM sessions s"
                            + " JOIN users u ON u.username = s.username"
                            + " WHERE s.token_hash = ? AND u.disabled = FALSE")) {
                select.setString(1, hash);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    Instant expiresAt = Instant.ofEpochMilli(rows.getLong(2));
                    long lastUsedMillis = rows.getLong(4);
                    lastUsed = Instant.ofEpochMilli(rows.wasNull() ? rows.getLong(5) : lastUsedMillis);
                    if (!expiresAt.isAfter(now) || !lastUsed.plus(idleTimeout).isAfter(now)) {
                        return Optional.empty();
                    }
                    session = new Session(token, new User(rows.getString(1), Role.valueOf(rows.getString(3))),
                            expiresAt);
                }
            }
            if (touch && !lastUsed.plus(touchEvery).isAfter(now)) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE sessions SET last_used_at = ? WHERE token_hash = ?")) {
                    update.setLong(1, now.toEpochMilli());
                    update.setString(2, hash);
                    update.executeUpdate();
                }
            }
            return Optional.of(session);
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

    /** Ends every session of the user but {@code keepSession}; returns how many ended. */
    public int endSessions(String username, @Nullable String keepSession) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return endSessions(connection, username, keepSession);
        }
    }

    /** Drops sessions past their lifetime or idle too long; run periodically. */
    public int purgeExpiredSessions() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM sessions WHERE expires_at <= ? OR COALESCE(last_used_at, created_at) <= ?")) {
            long now = clock.millis();
            delete.setLong(1, now);
            delete.setLong(2, now - idleTimeout.toMillis());
            return delete.executeUpdate();
        }
    }

    private static int endSessions(Connection connection, String username, @Nullable String keepSession)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM sessions WHERE username = ? AND token_hash <> ?")) {
            delete.setString(1, username);
            delete.setString(2, keepSession == null ? "" : Secrets.hash(keepSession));
            return delete.executeUpdate();
        }
    }

    private static boolean exists(Connection connection, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Account account(ResultSet rows) throws SQLException {
        long changed = rows.getLong(6);
        Instant passwordChangedAt = rows.wasNull() ? null : Instant.ofEpochMilli(changed);
        return new Account(rows.getString(1), Role.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)),
                rows.getString(3), rows.getBoolean(4), Instant.ofEpochMilli(rows.getLong(5)), passwordChangedAt);
    }

    private static void setNullable(PreparedStatement statement, int index, @Nullable String value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
