package io.steward.node.install;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The SSH host keys admins confirmed ({@code ssh_host_keys}): trust on first use, as OpenSSH's known_hosts, but
 * shared by the cluster and recorded with who confirmed it. Blocks on JDBC.
 */
public final class HostKeyPins {

    /** A confirmed key of {@code host:port}. */
    public record Pinned(String fingerprint, String keyType, String trustedBy, Instant trustedAt) {}

    private final DataSource dataSource;
    private final Clock clock;

    public HostKeyPins(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Optional<Pinned> find(String host, int port) throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT fingerprint, key_type, trusted_by, trusted_at FROM ssh_host_keys WHERE host = ? AND port = ?")) {
                select.setString(1, host);
                select.setInt(2, port);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Pinned(row.getString(1), row.getString(2), row.getString(3),
                                    Instant.ofEpochMilli(row.getLong(4))))
                            : Optional.<Pinned>empty();
                }
            }
        });
    }

    /** Pins {@code fingerprint} for {@code host:port}, replacing what was pinned before. */
    public void trust(String host, int port, String fingerprint, String keyType, String by) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM ssh_host_keys WHERE host = ? AND port = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO ssh_host_keys"
                            + " (host, port, fingerprint, key_type, trusted_by, trusted_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, host);
                delete.setInt(2, port);
                delete.executeUpdate();
                insert.setString(1, host);
                insert.setInt(2, port);
                insert.setString(3, fingerprint);
                insert.setString(4, keyType);
                insert.setString(5, by);
                insert.setLong(6, clock.millis());
                insert.executeUpdate();
            }
            return null;
        });
    }
}
