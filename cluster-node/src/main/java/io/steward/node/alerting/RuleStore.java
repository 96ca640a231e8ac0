package io.steward.node.alerting;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.Comparison;
import io.steward.core.alerting.DefaultRules;
import io.steward.core.alerting.Scope;
import io.steward.core.alerting.Severity;
import io.steward.core.metrics.SeriesName;
import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Alert rules in the shared database (table {@code alert_rules}). Blocking JDBC: call off the actor threads. */
public final class RuleStore {
    private static final String DEFAULTS_FLAG = "alert-rules-seeded";
    private static final String SERVICE_DEFAULTS_FLAG = "alert-rules-seeded-services";
    private static final String BACKUP_DEFAULTS_FLAG = "alert-rules-seeded-backups";
    private static final String CHECK_DEFAULTS_FLAG = "alert-rules-seeded-checks";
    private static final String COLUMNS = "id, name, target, comparison, threshold, recovery, for_millis, severity,"
            + " scope_kind, scope_value, enabled";

    private final DataSource dataSource;
    private final Clock clock;

    public RuleStore(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Inserts each set of default rules the first time any node starts on this database, never again (deleting a
     * default must stick). Sets added by later versions are seeded once on upgrade.
     */
    public boolean seedDefaultsOnce() throws SQLException {
        boolean seeded = seedOnce(DEFAULTS_FLAG, DefaultRules.all());
        seeded |= seedOnce(SERVICE_DEFAULTS_FLAG, DefaultRules.services());
        seeded |= seedOnce(BACKUP_DEFAULTS_FLAG, DefaultRules.backups());
        return seedOnce(CHECK_DEFAULTS_FLAG, DefaultRules.checks()) || seeded;
    }

    private boolean seedOnce(String flagName, List<AlertRule> rules) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement check = connection.prepareStatement(
                    "SELECT COUNT(*) FROM steward_flags WHERE name = ?")) {
                check.setString(1, flagName);
                try (ResultSet rows = check.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return false;
                    }
                }
            }
            // Two nodes starting together: the flag's primary key lets only one of them commit.
            try (PreparedStatement flag = connection.prepareStatement(
                    "INSERT INTO steward_flags (name, set_at) VALUES (?, ?)")) {
                flag.setString(1, flagName);
                flag.setLong(2, clock.millis());
                flag.executeUpdate();
            }
            for (AlertRule rule : rules) {
                insert(connection, rule, "steward");
            }
            return true;
        });
    }

    public List<AlertRule> all() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM alert_rules ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            List<AlertRule> rules = new ArrayList<>();
            while (rows.next()) {
                rules.add(read(rows));
            }
            return rules;
        }
    }

    public Optional<AlertRule> find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM alert_rules WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    public void create(AlertRule rule, String by) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            insert(connection, rule, by);
            return null;
        });
    }

    /** Replaces a rule; false if there is none with that id. */
    public boolean replace(AlertRule rule, String by) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE alert_rules SET name = ?, target = ?,"
                        + " comparison = ?, threshold = ?, recovery = ?, for_millis = ?, severity = ?, scope_kind = ?,"
                        + " scope_value = ?, enabled = ?, updated_by = ?, updated_at = ? WHERE id = ?")) {
            int i = bind(update, 1, rule);
            update.setString(i++, by);
            update.setLong(i++, clock.millis());
            update.setString(i, rule.id());
            return update.executeUpdate() == 1;
        }
    }

    public boolean delete(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM alert_rules WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    private void insert(Connection connection, AlertRule rule, String by) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO alert_rules (" + COLUMNS
                + ", updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, rule.id());
            int i = bind(insert, 2, rule);
            insert.setString(i++, by);
            insert.setLong(i, clock.millis());
            insert.executeUpdate();
        }
    }

    /** Binds name..enabled from {@code first}; returns the next parameter index. */
    private static int bind(PreparedStatement statement, int first, AlertRule rule) throws SQLException {
        int i = first;
        statement.setString(i++, rule.name());
        statement.setString(i++, rule.target().toString());
        statement.setString(i++, rule.comparison().name());
        statement.setDouble(i++, rule.threshold());
        statement.setDouble(i++, rule.recovery());
        statement.setLong(i++, rule.forDuration().toMillis());
        statement.setString(i++, rule.severity().name());
        statement.setString(i++, scopeKind(rule.scope()));
        String value = scopeValue(rule.scope());
        if (value == null) {
            statement.setNull(i++, Types.VARCHAR);
        } else {
            statement.setString(i++, value);
        }
        statement.setBoolean(i++, rule.enabled());
        return i;
    }

    private static AlertRule read(ResultSet rows) throws SQLException {
        return new AlertRule(rows.getString(1), rows.getString(2), SeriesName.parse(rows.getString(3)),
                Comparison.valueOf(rows.getString(4)), rows.getDouble(5), rows.getDouble(6),
                Duration.ofMillis(rows.getLong(7)), Severity.valueOf(rows.getString(8)),
                scope(rows.getString(9), rows.getString(10)), rows.getBoolean(11));
    }

    public static String scopeKind(Scope scope) {
        if (scope instanceof Scope.Group) {
            return "GROUP";
        }
        if (scope instanceof Scope.Tag) {
            return "TAG";
        }
        if (scope instanceof Scope.Server) {
            return "SERVER";
        }
        return "GLOBAL";
    }

    public static String scopeValue(Scope scope) {
        if (scope instanceof Scope.Group group) {
            return group.name();
        }
        if (scope instanceof Scope.Tag tag) {
            return tag.name();
        }
        if (scope instanceof Scope.Server server) {
            return server.serverId();
        }
        return null;
    }

    /** A scope from its kind and value, as stored and as the API takes it. */
    public static Scope scope(String kind, String value) {
        String upper = kind == null ? "GLOBAL" : kind.toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals("GLOBAL") && (value == null || value.isBlank() || value.length() > 100)) {
            throw new IllegalArgumentException("a " + kind.toLowerCase(java.util.Locale.ROOT)
                    + " scope needs a value of 1 to 100 characters");
        }
        return switch (upper) {
            case "GLOBAL" -> new Scope.Global();
            case "GROUP" -> new Scope.Group(value);
            case "TAG" -> new Scope.Tag(value);
            case "SERVER" -> new Scope.Server(value);
            default -> throw new IllegalArgumentException("scope kind must be global, group, tag or server");
        };
    }
}
