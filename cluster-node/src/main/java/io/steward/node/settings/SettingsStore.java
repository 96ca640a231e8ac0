package io.steward.node.settings;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The overrides in the {@code node_settings} table. Blocking JDBC. */
public final class SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

    private final DataSource dataSource;
    private final Clock clock;

    public SettingsStore(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Every stored override; a row of a key this node does not know (a newer node wrote it) is skipped. */
    public Map<SettingKey, String> all() throws SQLException {
        Map<SettingKey, String> stored = new EnumMap<>(SettingKey.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT setting_key, setting_value FROM node_settings");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Optional<SettingKey> key = SettingKey.byWireName(rows.getString(1));
                if (key.isPresent()) {
                    stored.put(key.get(), rows.getString(2));
                } else {
                    log.debug("Skipping the stored setting [{}]: not known to this node", rows.getString(1));
                }
            }
        }
        return stored;
    }

    /** Stores the overrides {@code changes} end with (a removed one is deleted), all in one transaction. */
    public void apply(List<SettingsValidation.Change> changes, String by) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            for (SettingsValidation.Change change : changes) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM node_settings WHERE setting_key = ?")) {
                    delete.setString(1, change.key().wireName());
                    delete.executeUpdate();
                }
                if (change.storedAfter() != null) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO node_settings"
                            + "(setting_key, setting_value, updated_at, updated_by) VALUES (?, ?, ?, ?)")) {
                        insert.setString(1, change.key().wireName());
                        insert.setString(2, change.storedAfter());
                        insert.setLong(3, clock.millis());
                        insert.setString(4, by.length() > 100 ? by.substring(0, 100) : by);
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }
}
