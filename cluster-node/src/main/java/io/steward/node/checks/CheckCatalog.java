package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of checks: each check's id, name, group and definition as its entity last accepted them — what the node
 * lists, assigns to agents and wakes after a restart without asking every entity. The entity is the source of truth;
 * a row is written right after it accepted a change (and an unreadable row is skipped with a log line, never
 * failing the whole list).
 */
public final class CheckCatalog {
    private static final Logger log = LoggerFactory.getLogger(CheckCatalog.class);

    private final DataSource dataSource;
    private final Clock clock;

    /** One indexed check. */
    public record Entry(String id, CheckSpec spec) {}

    public CheckCatalog(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Entry> all() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, check_group, definition FROM checks ORDER BY name, id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entry(rows).ifPresent(entries::add);
                }
            }
            return entries;
        });
    }

    public Optional<Entry> get(String id) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, check_group, definition FROM checks WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? entry(rows) : Optional.<Entry>empty();
                }
            }
        });
    }

    public void put(String id, CheckSpec spec, String by) throws SQLException {
        long now = clock.millis();
        Jdbc.inTransaction(dataSource, connection -> {
            int updated;
            try (PreparedStatement update = connection.prepareStatement("UPDATE checks SET name = ?,"
                    + " check_group = ?, definition = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, spec.name());
                update.setString(2, spec.group());
                update.setString(3, CheckJson.text(spec.definition()));
                update.setLong(4, now);
                update.setString(5, id);
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO checks (id, name,"
                        + " check_group, definition, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, spec.name());
                    insert.setString(3, spec.group());
                    insert.setString(4, CheckJson.text(spec.definition()));
                    insert.setString(5, by);
                    insert.setLong(6, now);
                    insert.setLong(7, now);
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    public boolean remove(String id) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM check_failures"
                    + " WHERE check_id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM checks WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** The groups that have at least one check. */
    public List<String> groups() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<String> groups = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT check_group FROM checks"
                    + " WHERE check_group IS NOT NULL ORDER BY check_group");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groups.add(rows.getString(1));
                }
            }
            return groups;
        });
    }

    /** Records that {@code serverId} is a node's own local agent: the "local" vantage. */
    public void addLocalVantage(String serverId) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM local_vantages WHERE server_id = ?")) {
                select.setString(1, serverId);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return null;
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO local_vantages (server_id, registered_at) VALUES (?, ?)")) {
                insert.setString(1, serverId);
                insert.setLong(2, clock.millis());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!Jdbc.isDataError(e)) {
                    throw e;
                } // recorded by another node at the same moment
            }
            return null;
        });
    }

    public List<String> localVantages() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT server_id FROM local_vantages ORDER BY registered_at");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    private static Optional<Entry> entry(ResultSet rows) throws SQLException {
        String id = rows.getString(1);
        try {
            return Optional.of(new Entry(id, new CheckSpec(CheckJson.definition(rows.getString(3)),
                    rows.getString(2))));
        } catch (IllegalArgumentException e) {
            log.error("Skipping check [{}]: its stored definition cannot be read: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

}
