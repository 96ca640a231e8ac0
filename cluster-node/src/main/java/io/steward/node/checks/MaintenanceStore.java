package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.checks.MaintenanceWindow;
import io.steward.core.protocol.WireFormat;
import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance windows in their table, and the in-memory snapshot every check entity reads ({@link MaintenanceSource}):
 * reloaded after each change made through this node and every {@code reload} interval for changes made elsewhere.
 */
public final class MaintenanceStore implements MaintenanceSource {
    private static final Logger log = LoggerFactory.getLogger(MaintenanceStore.class);
    private static final ObjectMapper MAPPER = WireFormat.mapper();

    private final DataSource dataSource;
    private final Clock clock;
    private volatile List<Maintenance> snapshot = List.of();

    /** How a window is stored: everything but its id. */
    record Body(String name, MaintenanceWindow window, List<String> checks, @Nullable String group) {}

    public MaintenanceStore(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public boolean covers(String checkId, @Nullable String group, Instant at) {
        for (Maintenance maintenance : snapshot) {
            if (maintenance.covers(checkId, group, at)) {
                return true;
            }
        }
        return false;
    }

    /** Reads every window again into the snapshot. */
    public void reload() throws SQLException {
        snapshot = all();
    }

    public List<Maintenance> all() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<Maintenance> windows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, body FROM maintenance_windows ORDER BY name, id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    read(rows.getString(1), rows.getString(2)).ifPresent(windows::add);
                }
            }
            return windows;
        });
    }

    public Optional<Maintenance> get(String id) throws SQLException {
        return all().stream().filter(window -> window.id().equals(id)).findFirst();
    }

    /** Creates or replaces {@code maintenance}; reloads the snapshot. */
    public void put(Maintenance maintenance, String by) throws SQLException {
        String body;
        try {
            body = MAPPER.writeValueAsString(new Body(maintenance.name(), maintenance.window(), maintenance.checks(),
                    maintenance.group()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a maintenance window could not be written as JSON", e);
        }
        Jdbc.inTransaction(dataSource, connection -> {
            int updated;
            try (PreparedStatement update = connection.prepareStatement("UPDATE maintenance_windows SET name = ?,"
                    + " body = ?, updated_by = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, maintenance.name());
                update.setString(2, body);
                update.setString(3, by);
                update.setLong(4, clock.millis());
                update.setString(5, maintenance.id());
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO maintenance_windows (id,"
                        + " name, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, maintenance.id());
                    insert.setString(2, maintenance.name());
                    insert.setString(3, body);
                    insert.setString(4, by);
                    insert.setLong(5, clock.millis());
                    insert.executeUpdate();
                }
            }
            return null;
        });
        reload();
    }

    public boolean remove(String id) throws SQLException {
        boolean removed = Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM maintenance_windows WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() > 0;
            }
        });
        reload();
        return removed;
    }

    private static Optional<Maintenance> read(String id, String json) {
        try {
            Body body = MAPPER.readValue(json, Body.class);
            return Optional.of(new Maintenance(id, body.name(), body.window(), body.checks(), body.group()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.error("Skipping maintenance window [{}]: it cannot be read: {}", id, e.getMessage());
            return Optional.empty();
        }
    }
}
