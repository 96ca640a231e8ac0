package io.steward.node.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The statements on one server's credential row that an enrollment retry and a re-enrollment share, inside the
 * caller's transaction: whether an enrollment is still unclaimed, claiming it, and giving the server a new credential.
 */
final class CredentialRows {
    private CredentialRows() {
    }

    /**
     * Whether {@code serverId} was enrolled with this very token by the agent holding this proof, and its credential
     * was never used: the agent never got its welcome (a dropped connection, a node failing over), so it asks again —
     * without costing a use. Someone else with the token and the machine id lacks the proof.
     */
    static boolean unclaimed(Connection connection, String serverId, String tokenHash, String proofHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM agent_credentials"
                + " WHERE server_id = ? AND enrolled_with = ? AND enrollment_proof_hash = ? AND first_used_at IS NULL"
                + " AND revoked_at IS NULL")) {
            select.setString(1, serverId);
            select.setString(2, tokenHash);
            select.setString(3, proofHash);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Marks {@code serverId}'s credential as used (once): from then on no enrollment retry replaces it. */
    static void claim(Connection connection, String serverId, long nowMillis) throws SQLException {
        try (PreparedStatement used = connection.prepareStatement("UPDATE agent_credentials"
                + " SET first_used_at = ? WHERE server_id = ? AND first_used_at IS NULL")) {
            used.setLong(1, nowMillis);
            used.setString(2, serverId);
            used.executeUpdate();
        }
    }

    /** A fresh credential for {@code serverId}; the old one and any rotated one stop working. */
    static String replace(Connection connection, String serverId, String hostname, long nowMillis)
            throws SQLException {
        String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
        try (PreparedStatement rotate = connection.prepareStatement("UPDATE agent_credentials"
                + " SET credential_hash = ?, next_credential_hash = NULL, hostname = ?, rotated_at = ?,"
                + " revoked_at = NULL WHERE server_id = ?")) {
            rotate.setString(1, Secrets.hash(credential));
            rotate.setString(2, hostname);
            rotate.setLong(3, nowMillis);
            rotate.setString(4, serverId);
            rotate.executeUpdate();
        }
        return credential;
    }
}
