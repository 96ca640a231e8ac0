package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckRules;
import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Public status pages, one per check group, each published only when an admin turned it on. */
public final class StatusPages {
    private final DataSource dataSource;
    private final Clock clock;

    public record Page(String group, String title, boolean enabled) {
        public Page {
            requireNonNull(group, "group is null");
            if (title == null || title.isBlank()) {
                title = group;
            }
            title = title.strip();
            if (title.length() > 200 || CheckRules.hasControl(title)) {
                throw new IllegalArgumentException("title: 1 to 200 characters on one line");
            }
        }
    }

    public StatusPages(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Page> all() throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<Page> pages = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT check_group, title, enabled FROM status_pages ORDER BY check_group");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pages.add(new Page(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
                }
            }
            return pages;
        });
    }

    /** The group's page, if it was ever configured. */
    public Optional<Page> get(String group) throws SQLException {
        return all().stream().filter(page -> page.group().equals(group)).findFirst();
    }

    public void put(Page page, String by) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            int updated;
            try (PreparedStatement update = connection.prepareStatement("UPDATE status_pages SET title = ?,"
                    + " enabled = ?, updated_by = ?, updated_at = ? WHERE check_group = ?")) {
                update.setString(1, page.title());
                update.setBoolean(2, page.enabled());
                update.setString(3, by);
                update.setLong(4, clock.millis());
                update.setString(5, page.group());
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO status_pages (check_group,"
                        + " title, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, page.group());
                    insert.setString(2, page.title());
                    insert.setBoolean(3, page.enabled());
                    insert.setString(4, by);
                    insert.setLong(5, clock.millis());
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }
}
