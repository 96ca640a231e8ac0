package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.steward.core.alerting.Severity;
import io.steward.node.auth.SecretBox;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Notification channels in the shared database (table {@code notification_channels}). Secrets are stored sealed
 * ({@link SecretBox}: encrypted with the node's key file, bound to the channel's id) so the node can use them; the
 * API never hands them back. Blocking JDBC: call off the actor threads.
 */
public final class ChannelStore {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, name, kind, enabled, severities, groups_filter, tags_filter,"
            + " remind_every_hours, settings, secrets, created_at, updated_at, last_success_at, last_failure_at,"
            + " last_error, consecutive_failures";

    private final DataSource dataSource;
    private final Clock clock;
    private final SecretBox box;

    public ChannelStore(DataSource dataSource, Clock clock, SecretBox box) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.box = requireNonNull(box, "box is null");
    }

    /**
     * Seals secrets still stored in clear (written by a version before encryption at rest); returns how many rows.
     * Refuses, naming both keys, when the database holds secrets sealed with another key: this node was given a
     * different key file than the one that sealed them, and guessing would lose them.
     */
    public int sealPlaintextSecrets() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            Map<String, String> plaintext = new java.util.LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, secrets FROM notification_channels ORDER BY id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String stored = rows.getString(2);
                    if (!SecretBox.isSealed(stored)) {
                        plaintext.put(rows.getString(1), stored);
                    } else if (!SecretBox.keyIdOf(stored).equals(box.keyId())) {
                        throw new IllegalStateException("the secrets of notification channel " + rows.getString(1)
                                + " were sealed with key " + SecretBox.keyIdOf(stored) + ", but this node's secret"
                                + " key file holds key " + box.keyId() + ": copy the key file of the node that"
                                + " sealed them (steward.secret-key-file)");
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE notification_channels SET secrets = ? WHERE id = ?")) {
                for (Map.Entry<String, String> row : plaintext.entrySet()) {
                    read(row.getValue(), new TypeReference<Map<String, String>>() {}); // refuse to seal garbage
                    update.setString(1, box.seal(row.getValue(), row.getKey()));
                    update.setString(2, row.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return plaintext.size();
        });
    }

    /** How many channels count as failing ({@link Channel.Health#failing()}), for the node's metrics. */
    public long failingCount() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT COUNT(*) FROM notification_channels WHERE consecutive_failures >= ?")) {
            select.setInt(1, Dispatcher.FAILING_AFTER);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    public List<Channel> all() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return all(connection, box);
        }
    }

    /**
     * All channels without their secrets, read within the caller's transaction (the notifier routes with it and
     * needs no secret to do so).
     */
    static List<Channel> forRouting(Connection connection) throws SQLException {
        return all(connection, null);
    }

    private static List<Channel> all(Connection connection, SecretBox box) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM notification_channels ORDER BY name, id");
                ResultSet rows = select.executeQuery()) {
            List<Channel> channels = new ArrayList<>();
            while (rows.next()) {
                channels.add(read(rows, box));
            }
            return channels;
        }
    }

    public Optional<Channel> find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM notification_channels WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows, box)) : Optional.empty();
            }
        }
    }

    public void create(Channel channel) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_channels ("
                    + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, 0)")) {
                insert.setString(1, channel.id());
                bind(insert, 2, channel);
                insert.setLong(11, channel.createdAt().toEpochMilli());
                insert.setLong(12, channel.updatedAt().toEpochMilli());
                return insert.executeUpdate();
            }
        });
    }

    /** Replaces a channel's configuration (not its health); false if it does not exist. */
    public boolean replace(Channel channel) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE notification_channels SET name = ?,"
                    + " kind = ?, enabled = ?, severities = ?, groups_filter = ?, tags_filter = ?,"
                    + " remind_every_hours = ?, settings = ?, secrets = ?, updated_at = ? WHERE id = ?")) {
                bind(update, 1, channel);
                update.setLong(10, channel.updatedAt().toEpochMilli());
                update.setString(11, channel.id());
                return update.executeUpdate() == 1;
            }
        });
    }

    public boolean delete(String id) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM notification_channels WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() == 1;
            }
        });
    }

    /** Records a delivery outcome; returns the consecutive failures after it (0 after a success). */
    public int recordOutcome(String channelId, boolean ok, String error) throws SQLException {
        long now = clock.millis();
        return Jdbc.inTransaction(dataSource, connection -> {
            String sql = ok
                    ? "UPDATE notification_channels SET last_success_at = ?, consecutive_failures = 0 WHERE id = ?"
                    : "UPDATE notification_channels SET last_failure_at = ?, last_error = ?,"
                            + " consecutive_failures = consecutive_failures + 1 WHERE id = ?";
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setLong(1, now);
                if (ok) {
                    update.setString(2, channelId);
                } else {
                    update.setString(2, Outbox.clean(error));
                    update.setString(3, channelId);
                }
                update.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT consecutive_failures FROM notification_channels WHERE id = ?")) {
                select.setString(1, channelId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getInt(1) : 0;
                }
            }
        });
    }

    private void bind(PreparedStatement statement, int first, Channel channel) throws SQLException {
        statement.setString(first, channel.name());
        statement.setString(first + 1, channel.kind().name());
        statement.setBoolean(first + 2, channel.enabled());
        statement.setString(first + 3, channel.severities().stream().map(Enum::name).sorted()
                .collect(Collectors.joining(",")));
        statement.setString(first + 4, write(channel.groups()));
        statement.setString(first + 5, write(channel.tags()));
        if (channel.remindEveryHours() == null) {
            statement.setNull(first + 6, Types.INTEGER);
        } else {
            statement.setInt(first + 6, channel.remindEveryHours());
        }
        statement.setString(first + 7, write(channel.settings()));
        statement.setString(first + 8, box.seal(write(channel.secrets()), channel.id()));
    }

    /** One row; without a box, the secrets are left out. */
    private static Channel read(ResultSet rows, SecretBox box) throws SQLException {
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        for (String name : rows.getString("severities").split(",")) {
            if (!name.isBlank()) {
                severities.add(Severity.valueOf(name));
            }
        }
        int remind = rows.getInt("remind_every_hours");
        Integer remindEvery = rows.wasNull() ? null : remind;
        Channel.Health health = new Channel.Health(Rows.instant(rows, "last_success_at"),
                Rows.instant(rows, "last_failure_at"), rows.getString("last_error"), rows.getInt("consecutive_failures"));
        return new Channel(rows.getString("id"), rows.getString("name"), ChannelKind.valueOf(rows.getString("kind")),
                rows.getBoolean("enabled"), severities,
                read(rows.getString("groups_filter"), new TypeReference<List<String>>() {}),
                read(rows.getString("tags_filter"), new TypeReference<List<String>>() {}),
                remindEvery,
                read(rows.getString("settings"), new TypeReference<Map<String, Object>>() {}),
                box == null ? Map.of() : read(secretsText(box, rows.getString("id"), rows.getString("secrets")),
                        new TypeReference<Map<String, String>>() {}),
                Instant.ofEpochMilli(rows.getLong("created_at")), Instant.ofEpochMilli(rows.getLong("updated_at")),
                health);
    }

    /** The secrets' JSON: opened if sealed; a row still in clear (before {@link #sealPlaintextSecrets}) as it is. */
    private static String secretsText(SecretBox box, String id, String stored) throws SQLException {
        if (!SecretBox.isSealed(stored)) {
            return stored;
        }
        try {
            return box.open(stored, id);
        } catch (java.security.GeneralSecurityException e) {
            throw new SQLException("cannot decrypt the secrets of notification channel " + id + ": " + e.getMessage(),
                    e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode channel column", e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt channel column: " + e.getOriginalMessage(), e);
        }
    }
}
