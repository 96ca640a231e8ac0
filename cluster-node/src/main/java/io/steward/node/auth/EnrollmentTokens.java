package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Enrollment tokens as admins see them: created (single use unless asked otherwise), listed and revoked. A token is
 * named in lists by a short public id (the start of its hash), never by the token itself. Blocks on JDBC.
 */
public final class EnrollmentTokens {
    /** Characters of the hash that name a token in lists and URLs. */
    static final int ID_LENGTH = 16;
    /** Newest tokens listed; older ones are long expired. */
    private static final int LIST_LIMIT = 200;

    /** A freshly created enrollment token; the plain token exists only in this value. */
    public record EnrollmentToken(String id, String token, Instant expiresAt, int maxUses) {
        @Override
        public String toString() {
            return "EnrollmentToken[id=" + id + ", expiresAt=" + expiresAt + ", maxUses=" + maxUses + "]";
        }
    }

    /** What a token list shows: never the token. */
    public record TokenInfo(String id, String createdBy, Instant createdAt, Instant expiresAt, int maxUses, int uses,
            @Nullable Instant revokedAt, @Nullable String revokedBy, State state) {}

    /** Whether a token still enrolls anything. */
    public enum State {
        ACTIVE, USED_UP, EXPIRED, REVOKED;

        /** {@code "used-up"}: as the API writes it. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public EnrollmentTokens(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    static String idOf(String tokenHash) {
        return tokenHash.substring(0, ID_LENGTH);
    }

    public EnrollmentToken create(String createdBy, Duration ttl, int maxUses) throws SQLException {
        String token = Secrets.generate(Secrets.ENROLLMENT_PREFIX);
        String hash = Secrets.hash(token);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO enrollment_tokens(token_hash, created_by, created_at, expires_at, max_uses, uses)"
                                + " VALUES (?, ?, ?, ?, ?, 0)")) {
            insert.setString(1, hash);
            insert.setString(2, createdBy);
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, expiresAt.toEpochMilli());
            insert.setInt(5, maxUses);
            insert.executeUpdate();
        }
        return new EnrollmentToken(idOf(hash), token, expiresAt, maxUses);
    }

    /** Every token, newest first (at most {@value #LIST_LIMIT}). */
    public List<TokenInfo> list() throws SQLException {
        Instant now = clock.instant();
        List<TokenInfo> tokens = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT token_hash, created_by, created_at, expires_at, max_uses, uses, revoked_at, revoked_by"
                                + " FROM enrollment_tokens ORDER BY created_at DESC, token_hash")) {
            select.setMaxRows(LIST_LIMIT);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant expiresAt = Instant.ofEpochMilli(rows.getLong(4));
                    int maxUses = rows.getInt(5);
                    int uses = rows.getInt(6);
                    long revokedAt = rows.getLong(7);
                    Instant revoked = rows.wasNull() ? null : Instant.ofEpochMilli(revokedAt);
                    State state = revoked != null ? State.REVOKED
                            : !expiresAt.isAfter(now) ? State.EXPIRED
                            : uses >= maxUses ? State.USED_UP
                            : State.ACTIVE;
                    tokens.add(new TokenInfo(idOf(rows.getString(1)), rows.getString(2),
                            Instant.ofEpochMilli(rows.getLong(3)), expiresAt, maxUses, uses, revoked,
                            rows.getString(8), state));
                }
            }
        }
        return tokens;
    }

    /** Revokes the token named {@code id}; false when there is none (or it was revoked already). */
    public boolean revoke(String id, String by) throws SQLException {
        if (!id.matches("[0-9a-f]{" + ID_LENGTH + "}")) {
            return false;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE enrollment_tokens SET revoked_at = ?, revoked_by = ?"
                                + " WHERE token_hash LIKE ? AND revoked_at IS NULL")) {
            update.setLong(1, clock.millis());
            update.setString(2, by);
            update.setString(3, id + "%");
            return update.executeUpdate() > 0;
        }
    }
}
