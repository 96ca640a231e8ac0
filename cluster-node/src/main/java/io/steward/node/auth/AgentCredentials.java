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
 * Agent identity: enrollment tokens (short-lived, single use by default) are exchanged for a per-server credential
 * that the agent keeps, rotates and may lose to a revocation; only SHA-256 hashes of either are stored. A machine
 * that is already known does not get its server's identity just for asking: re-enrolling it uses up a token use and
 * becomes a {@link ReEnrollment} request, which the server's entity records and which needs an admin's approval
 * while the old credential is in use. All methods block on JDBC: call them on the blocking dispatcher.
 */
public final class AgentCredentials {

    /** Outcome of an agent's hello. */
    public sealed interface AuthResult {}

    public record Authenticated(String serverId) implements AuthResult {}

    /** First contact (or an approved re-enrollment): {@code credential} must go back to the agent exactly once. */
    public record Enrolled(String serverId, String credential) implements AuthResult {}

    /**
     * A known machine enrolls again with a valid token: the server's entity must record it and decide whether an
     * admin has to approve ({@link #decideReEnrollment}).
     */
    public record ReEnrollment(String serverId, String requestId) implements AuthResult {}

    public record Rejected(ErrorCode code, String message) implements AuthResult {}

    /** A re-enrollment waiting for an admin. */
    public record PendingReEnrollment(String requestId, String serverId, String hostname, String remote,
            Instant requestedAt) {}

    /** The answer to an admin's decision: the server whose request it was, if it was pending. */
    public record Decision(String serverId, String requestId) {}

    private static final String REVOKED_PREFIX = "revoked:";

    private final DataSource dataSource;
    private final Clock clock;
    private final EnrollmentTokens tokens;

    public AgentCredentials(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tokens = new EnrollmentTokens(dataSource, clock);
    }

    public EnrollmentTokens tokens() {
        return tokens;
    }

    /** Shortcut for {@link EnrollmentTokens#create}. */
    public EnrollmentTokens.EnrollmentToken createEnrollmentToken(String createdBy, Duration ttl, int maxUses)
            throws SQLException {
        return tokens.create(createdBy, ttl, maxUses);
    }

    /** Checks a hello's token: a saved credential, or an enrollment token to exchange for one. */
    public AuthResult authenticate(String token, String hostname, String machineId, String remote)
            throws SQLException {
        return authenticate(token, hostname, machineId, null, remote);
    }

    /**
     * Checks a hello's token; {@code enrollmentProof} (may be null) is what lets a retry of a lost enrollment through
     * without another use of the token.
     */
    public AuthResult authenticate(String token, String hostname, String machineId, String enrollmentProof,
            String remote) throws SQLException {
        if (token.startsWith(Secrets.CREDENTIAL_PREFIX)) {
            return credential(token);
        }
        if (token.startsWith(Secrets.ENROLLMENT_PREFIX)) {
            Instant now = clock.instant();
            return Jdbc.inTransaction(dataSource,
                    connection -> enroll(connection, Secrets.hash(token), hostname, machineId,
                            enrollmentProof == null ? null : Secrets.hash(enrollmentProof), remote, now));
        }
        return new Rejected(ErrorCode.UNAUTHORIZED, "token is neither an agent credential nor an enrollment token");
    }

    /** The current credential, or the rotated one, whose first use retires the current one. */
    private AuthResult credential(String token) throws SQLException {
        String hash = Secrets.hash(token);
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT server_id, next_credential_hash FROM agent_credentials"
                            + " WHERE credential_hash = ? OR next_credential_hash = ?")) {
                select.setString(1, hash);
                select.setString(2, hash);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return new Rejected(ErrorCode.UNAUTHORIZED, "unknown agent credential (revoked, or the "
                                + "server was deleted): enroll again with a new token");
                    }
                    String serverId = rows.getString(1);
                    CredentialRows.claim(connection, serverId, clock.millis());
                    if (hash.equals(rows.getString(2))) {
                        try (PreparedStatement promote = connection.prepareStatement(
                                "UPDATE agent_credentials SET credential_hash = next_credential_hash,"
                                        + " next_credential_hash = NULL, rotated_at = ? WHERE server_id = ?")) {
                            promote.setLong(1, clock.millis());
                            promote.setString(2, serverId);
                            promote.executeUpdate();
                        }
                    }
                    return new Authenticated(serverId);
                }
            }
        });
    }

    private AuthResult enroll(Connection connection, String tokenHash, String hostname, String machineId,
            String proofHash, String remote, Instant now) throws SQLException {
        boolean usedUp;
        Rejected expired = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT expires_at, max_uses, uses, revoked_at FROM enrollment_tokens WHERE token_hash = ?"
                        + " FOR UPDATE")) {
            select.setString(1, tokenHash);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return new Rejected(ErrorCode.UNAUTHORIZED, "unknown enrollment token");
                }
                rows.getLong(4);
                if (!rows.wasNull()) {
                    return new Rejected(ErrorCode.UNAUTHORIZED, "enrollment token was revoked");
                }
                if (rows.getLong(1) <= now.toEpochMilli()) {
                    expired = new Rejected(ErrorCode.ENROLLMENT_EXPIRED,
                            "enrollment token expired at " + Instant.ofEpochMilli(rows.getLong(1)));
                }
                usedUp = rows.getInt(3) >= rows.getInt(2);
            }
        }
        Optional<String> existing = machineId == null ? Optional.empty() : serverOfMachine(connection, machineId);
        if (existing.isPresent() && expired == null && proofHash != null
                && CredentialRows.unclaimed(connection, existing.get(), tokenHash, proofHash)) {
            // The same enrollment again: its welcome was lost before the agent could save the credential.
            return new Enrolled(existing.get(), CredentialRows.replace(connection, existing.get(), hostname, clock.millis()));
        }
        if (existing.isPresent()) {
            return reEnroll(connection, existing.get(), tokenHash, hostname, remote, usedUp, expired, now);
        }
        if (expired != null) {
            return expired;
        }
        if (usedUp) {
            return new Rejected(ErrorCode.ENROLLMENT_EXPIRED, "enrollment token is used up");
        }
        useToken(connection, tokenHash);
        String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
        String serverId = newServerId(hostname);
        insertServer(connection, serverId, hostname, machineId, credential, tokenHash, proofHash, now);
        return new Enrolled(serverId, credential);
    }

    /**
     * The agent of {@code serverId} has its credential: it spoke after its welcome, or presented the credential. From
     * now on a retry of its enrollment is a re-enrollment (which needs a use of a token and may need an admin).
     */
    public void claim(String serverId) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            CredentialRows.claim(connection, serverId, clock.millis());
            return null;
        });
    }

    /**
     * A known machine: a request this token made earlier goes on where it stands (so retries cost no further use);
     * a new request needs a use left on the token.
     */
    private AuthResult reEnroll(Connection connection, String serverId, String tokenHash, String hostname,
            String remote, boolean usedUp, Rejected expired, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT request_id, status FROM re_enrollments WHERE server_id = ? AND token_hash = ?"
                        + " AND status IN ('new', 'pending', 'approved') ORDER BY requested_at DESC")) {
            select.setString(1, serverId);
            select.setString(2, tokenHash);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    String requestId = rows.getString(1);
                    // An approved request completes even after its token expired: the admin's approval revoked the
                    // old credential, so refusing now would lock both agents out.
                    String status = rows.getString(2);
                    if (expired != null && !status.equals("approved")) {
                        return expired;
                    }
                    return switch (status) {
                        case "approved" -> new Enrolled(serverId, complete(connection, serverId, requestId, hostname));
                        case "pending" -> new Rejected(ErrorCode.ENROLLMENT_PENDING, "server " + serverId
                                + " is already enrolled and its credential is in use: an admin must approve this"
                                + " re-enrollment (request " + requestId + ")");
                        default -> new ReEnrollment(serverId, requestId);
                    };
                }
            }
        }
        if (expired != null) {
            return expired;
        }
        if (usedUp) {
            return new Rejected(ErrorCode.ENROLLMENT_EXPIRED, "enrollment token is used up");
        }
        useToken(connection, tokenHash);
        String requestId = "ree-" + Secrets.suffix(12);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO re_enrollments(request_id, server_id, token_hash, hostname, remote, requested_at, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'new')")) {
            insert.setString(1, requestId);
            insert.setString(2, serverId);
            insert.setString(3, tokenHash);
            insert.setString(4, hostname);
            insert.setString(5, remote.length() > 100 ? remote.substring(0, 100) : remote);
            insert.setLong(6, now.toEpochMilli());
            insert.executeUpdate();
        }
        return new ReEnrollment(serverId, requestId);
    }

    /**
     * The entity has recorded {@code requestId}: without {@code needsApproval} the agent gets its credential now
     * (the old one stops working); with it the request waits for an admin (empty result).
     */
    public Optional<Enrolled> decideReEnrollment(String requestId, boolean needsApproval) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<String[]> request = request(connection, requestId, "new");
            if (request.isEmpty()) {
                return Optional.empty();
            }
            String serverId = request.get()[0];
            if (needsApproval) {
                setStatus(connection, requestId, "pending", null);
                return Optional.empty();
            }
            return Optional.of(new Enrolled(serverId, complete(connection, serverId, requestId, request.get()[1])));
        });
    }

    /** Gives the server a fresh credential for its re-enrolled agent; the old and any rotated one stop working. */
    private String complete(Connection connection, String serverId, String requestId, String hostname)
            throws SQLException {
        String credential = CredentialRows.replace(connection, serverId, hostname, clock.millis());
        setStatus(connection, requestId, "done", null);
        return credential;
    }

    /** Re-enrollments waiting for an admin, oldest first. */
    public List<PendingReEnrollment> pendingReEnrollments() throws SQLException {
        List<PendingReEnrollment> pending = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT request_id, server_id, hostname, remote, requested_at FROM re_enrollments"
                                + " WHERE status = 'pending' ORDER BY requested_at, request_id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                pending.add(new PendingReEnrollment(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), Instant.ofEpochMilli(rows.getLong(5))));
            }
        }
        return pending;
    }

    /**
     * An admin approves a pending re-enrollment: the old credential is revoked at once (its agent is locked out) and
     * the new agent's next hello with its token gets the server's new credential.
     */
    public Optional<Decision> approveReEnrollment(String requestId, String by) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<String[]> request = request(connection, requestId, "pending");
            if (request.isEmpty()) {
                return Optional.empty();
            }
            setStatus(connection, requestId, "approved", by);
            revoke(connection, request.get()[0]);
            return Optional.of(new Decision(request.get()[0], requestId));
        });
    }

    /** An admin refuses a pending re-enrollment: the old credential keeps working, the token is not given back. */
    public Optional<Decision> denyReEnrollment(String requestId, String by) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<String[]> request = request(connection, requestId, "pending");
            if (request.isEmpty()) {
                return Optional.empty();
            }
            setStatus(connection, requestId, "denied", by);
            return Optional.of(new Decision(request.get()[0], requestId));
        });
    }

    /** {server id, hostname} of the request in {@code status}. */
    private static Optional<String[]> request(Connection connection, String requestId, String status)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT server_id, hostname FROM re_enrollments WHERE request_id = ? AND status = ? FOR UPDATE")) {
            select.setString(1, requestId);
            select.setString(2, status);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2)})
                        : Optional.empty();
            }
        }
    }

    private void setStatus(Connection connection, String requestId, String status, String by) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE re_enrollments SET status = ?, decided_by = ?, decided_at = ? WHERE request_id = ?")) {
            update.setString(1, status);
            update.setString(2, by);
            update.setLong(3, clock.millis());
            update.setString(4, requestId);
            update.executeUpdate();
        }
    }

    /**
     * Revokes the server's credential (and a rotated one): its agent is refused from its next hello on, while the
     * server and its history stay. False when the server has no credential.
     */
    public boolean revokeCredential(String serverId) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> revoke(connection, serverId));
    }

    private boolean revoke(Connection connection, String serverId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE agent_credentials SET credential_hash = ?, next_credential_hash = NULL, revoked_at = ?"
                        + " WHERE server_id = ?")) {
            update.setString(1, REVOKED_PREFIX + serverId);
            update.setLong(2, clock.millis());
            update.setString(3, serverId);
            return update.executeUpdate() > 0;
        }
    }

    /**
     * A new credential for the server's agent (its scheduled rotation): valid alongside the current one until the
     * agent first presents it. Empty when the server's credential was revoked.
     */
    public Optional<String> rotate(String serverId) throws SQLException {
        String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE agent_credentials SET next_credential_hash = ? WHERE server_id = ?"
                                + " AND revoked_at IS NULL")) {
            update.setString(1, Secrets.hash(credential));
            update.setString(2, serverId);
            return update.executeUpdate() > 0 ? Optional.of(credential) : Optional.empty();
        }
    }

    private static void useToken(Connection connection, String tokenHash) throws SQLException {
        try (PreparedStatement use = connection.prepareStatement(
                "UPDATE enrollment_tokens SET uses = uses + 1 WHERE token_hash = ?")) {
            use.setString(1, tokenHash);
            use.executeUpdate();
        }
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
            String credential, String tokenHash, String proofHash, Instant now) throws SQLException {
        try (PreparedStatement server = connection.prepareStatement(
                "INSERT INTO servers(server_id, hostname, created_at) VALUES (?, ?, ?)")) {
            server.setString(1, serverId);
            server.setString(2, hostname);
            server.setLong(3, now.toEpochMilli());
            server.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO agent_credentials(server_id, credential_hash, machine_id, hostname, created_at,"
                        + " enrolled_with, enrollment_proof_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, serverId);
            insert.setString(2, Secrets.hash(credential));
            insert.setString(3, machineId);
            insert.setString(4, hostname);
            insert.setLong(5, now.toEpochMilli());
            insert.setString(6, tokenHash);
            insert.setString(7, proofHash);
            insert.executeUpdate();
        }
    }

    /** Forgets a server's identity: its credential stops working at once. */
    public void forgetServer(String serverId) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement credential = connection.prepareStatement(
                            "DELETE FROM agent_credentials WHERE server_id = ?");
                    PreparedStatement requests = connection.prepareStatement(
                            "DELETE FROM re_enrollments WHERE server_id = ?");
                    PreparedStatement server = connection.prepareStatement(
                            "DELETE FROM servers WHERE server_id = ?")) {
                credential.setString(1, serverId);
                credential.executeUpdate();
                requests.setString(1, serverId);
                requests.executeUpdate();
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

    /** The server an enrollment token enrolled (a single-use token enrolls one), if it has enrolled one yet. */
    public Optional<String> serverEnrolledWith(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT server_id FROM agent_credentials WHERE enrolled_with = ? ORDER BY created_at")) {
            select.setString(1, Secrets.hash(token));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
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
