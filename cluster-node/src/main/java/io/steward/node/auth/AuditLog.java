package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Who changed which account, API token or password, and when. Append-only; blocking JDBC. */
public final class AuditLog {
    /** The actor of changes made by the node itself (the first admin). */
    public static final String SYSTEM = "system";
    /** The actor of {@code steward-node reset-password}, run by whoever has the machine. */
    public static final String COMMAND_LINE = "command-line";
    /** The actor of a request made without a login ("forgot password?"). */
    public static final String ANONYMOUS = "anonymous";
    /** The actor of a password reset through an emailed link. */
    public static final String RESET_LINK = "reset-link";

    /** One change. {@code detail} never holds a secret. */
    public record Entry(long id, Instant at, String actor, String action, @Nullable String target,
            @Nullable String detail) {}

    private final DataSource dataSource;
    private final Clock clock;

    public AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void record(String actor, String action, @Nullable String target, @Nullable String detail)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO audit_log(occurred_at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, clock.millis());
            insert.setString(2, actor);
            insert.setString(3, action);
            setNullable(insert, 4, target, 200);
            setNullable(insert, 5, detail, 500);
            insert.executeUpdate();
        }
    }

    /** The newest entries first, at most {@code limit}. */
    public List<Entry> newest(int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, occurred_at, actor, action, target, detail FROM audit_log ORDER BY id DESC")) {
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6)));
                }
            }
        }
        return entries;
    }

    private static void setNullable(PreparedStatement statement, int index, @Nullable String value, int max)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value.length() > max ? value.substring(0, max) : value);
        }
    }
}
