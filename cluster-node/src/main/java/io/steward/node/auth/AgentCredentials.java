package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.ErrorCode;
import io.steward.node.database.Jdbc;
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

/**
 * Agent identity: enrollment tokens (short-lived, multi-use up to a limit) are exchanged for a per-server credential
 * that the agent keeps; only SHA-256 hashes of either are stored. All methods block on JDBC: call them on the
 * blocking dispatcher.
 */
public final class AgentCredentials {

    /** Outcome of an agent's hello. */
    public sealed interface AuthResult {}

    public record Authenticated(String serverId) implements AuthResult {}

    /** First contact: {@code credential} must go back to the agent exactly once. */
    public record Enrolled(String serverId, String credential) implements AuthResult {}

    public record Rejected(ErrorCode code, String message) implements AuthResult {}

    /** A freshly created enrollment token; the plain token exists only in this value. */
    public record EnrollmentToken(String token, Instant expiresAt, int maxUses) {}

    private final DataSource dataSource;
    private final Clock clock;

    public AgentCredentials(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public EnrollmentToken createEnrollmentToken(String createdBy, Duration ttl, int maxUses) throws SQLException {
        String token = Secrets.generate(Secrets.ENROLLMENT_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO enrollment_tokens(token_hash, created_by, created_at, expires_at, max_uses, uses)"
                                + " VALUES (?, ?, ?, ?, ?, 0)")) {
            insert.setString(1, Secrets.hash(token));
            insert.setString(2, createdBy);
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, expiresAt.toEpochMilli());
            insert.setInt(5, maxUses);
            insert.executeUpdate();
        }
        return new EnrollmentToken(token, expiresAt, maxUses);
    }

    /** Checks a hello's token: a saved credential, or an enrollment token to exchange for one. */
    public AuthResult authenticate(String token, String hostname, String machineId) throws SQLException {
        if (token.startsWith(Secrets.CREDENTIAL_PREFIX)) {
            return credential(token);
        }
        if (token.startsWith(Secrets.ENROLLMENT_PREFIX)) {
            return enroll(token, hostname, machineId);
        }
        return new Rejected(ErrorCode.UNAUTHORIZED, "token is neither an agent credential nor an enrollment token");
    }

    private AuthResult credential(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT server_id FROM agent_credentials WHERE credential_hash = ?")) {
            select.setString(1, Secrets.hash(token));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return new Authenticated(rows.getString(1));
                }
            }
        }
        return new Rejected(ErrorCode.UNAUTHORIZED,
                "unknown agent credential (revoked, or the server was deleted): enroll again with a new token");
    }

    private AuthResult enroll(String token, String hostname, String machineId) throws SQLException {
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource,
                connection -> enrollInTransaction(connection, token, hostname, machineId, now));
    }

    private AuthResult enrollInTransaction(
            Connection connection, String token, String hostname, String machineId, Instant now) throws SQLException {
        String tokenHash = Secrets.hash(token);
        boolean usedUp;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT expires_at, max_uses, uses FROM enrollment_tokens WHERE token_hash = ? FOR UPDATE")) {
            select.setString(1, tokenHash);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return new Rejected(ErrorCode.UNAUTHORIZED, "unknown enrollment token");
                }
                if (rows.getLong(1) <= now.toEpochMilli()) {
                    return new Rejected(ErrorCode.ENROLLMENT_EXPIRED,
                            "enrollment token expired at " + Instant.ofEpochMilli(rows.getLong(1)));
                }
                usedUp = rows.getInt(3) >= rows.getInt(2);
            }
        }
        String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
        // A machine that enrolls again (its state directory was lost, or its first handshake broke off before the
        // welcome) keeps its server and history, and does not use up the token a second time.
        Optional<String> existing = machineId == null ? Optional.empty() : serverOfMachine(connection, machineId);
        if (existing.isPresent()) {
            try (PreparedStatement rotate = connection.prepareStatement(
                    "UPDATE agent_credentials SET credential_hash = ?, hostname = ? WHERE server_id = ?")) {
                rotate.setString(1, Secrets.hash(credential));
                rotate.setString(2, hostname);
                rotate.setString(3, existing.get());
                rotate.executeUpdate();
            }
            return new Enrolled(existing.get(), credential);
        }
        if (usedUp) {
            return new Rejected(ErrorCode.ENROLLMENT_EXPIRED, "enrollment token is used up");
        }
        try (PreparedStatement use = connection.prepareStatement(
                "UPDATE enrollment_tokens SET uses = uses + 1 WHERE token_hash = ?")) {
            use.setString(1, tokenHash);
            use.executeUpdate();
        }
        String serverId = newServerId(hostname);
        insertServer(connection, serverId, hostname, machineId, credential, now);
        return new Enrolled(serverId, credential);
    }

    /**
     * Issues a credential directly, without an enrollment token: used for the node's own local agent. Reuses the
     * server already registered for the machine id, if any.
     */
    public Enrolled issueCredential(String hostname, String machineId) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
            Optional<String> existing = serverOfMachine(connection, machineId);
            String serverId;
            if (existing.isPresent()) {
                serverId = existing.get();
                try (PreparedStatement rotate = connection.prepareStatement(
                        "UPDATE agent_credentials SET credential_hash = ? WHERE server_id = ?")) {
                    rotate.setString(1, Secrets.hash(credential));
                    rotate.setString(2, serverId);
                    rotate.executeUpdate();
                }
            } else {
                serverId = newServerId(hostname);
                insertServer(connection, serverId, hostname, machineId, credential, clock.instant());
            }
            return new Enrolled(serverId, credential);
        });
    }

    private static Optional<String> serverOfMachine(Connection connection, String machineId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT server_id FROM agent_credentials WHERE machine_id = ?")) {
            select.setString(1, machineId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private static void insertServer(Connection connection, String serverId, String hostname, String machineId,
            String credential, Instant now) throws SQLException {
        try (PreparedStatement server = connection.prepareStatement(
                "INSERT INTO servers(server_id, hostname, created_at) VALUES (?, ?, ?)")) {
            server.setString(1, serverId);
            server.setString(2, hostname);
            server.setLong(3, now.toEpochMilli());
            server.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO agent_credentials(server_id, credential_hash, machine_id, hostname, created_at)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, serverId);
            insert.setString(2, Secrets.hash(credential));
            insert.setString(3, machineId);
            insert.setString(4, hostname);
            insert.setLong(5, now.toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** Forgets a server's identity: its credential stops working at once. */
    public void forgetServer(String serverId) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement credential = connection.prepareStatement(
                            "DELETE FROM agent_credentials WHERE server_id = ?");
                    PreparedStatement server = connection.prepareStatement(
                            "DELETE FROM servers WHERE server_id = ?")) {
                credential.setString(1, serverId);
                credential.executeUpdate();
                server.setString(1, serverId);
                server.executeUpdate();
            }
            return null;
        });
    }

    /** Ids of every registered server, oldest first. */
    public List<String> serverIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT server_id FROM servers ORDER BY created_at, server_id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    public boolean exists(String serverId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT 1 FROM servers WHERE server_id = ?")) {
            select.setString(1, serverId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** {@code web-01.example.com} becomes {@code web-01-example-com-x7k2q9}: readable in URLs, unique by suffix. */
    static String newServerId(String hostname) {
        return ServerId.fromHostname(hostname, Secrets.suffix(6)).value();
    }
}
