package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckResult;
import io.steward.node.database.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Failed attempts with what the agent saw (reason, message, status, address, the response's first 4 KiB): the check
 * page's "recent failures". Series hold the numbers; this holds the words. Kept to {@link #KEEP_PER_CHECK} rows per
 * check, and pruned with the raw metric retention.
 */
public final class CheckFailures {
    /** Rows kept per check: a check failing every 10 s from 3 vantages fills this in about 4 hours. */
    static final int KEEP_PER_CHECK = 5_000;

    private final DataSource dataSource;

    /** One failed attempt as the API lists it. */
    public record Failure(Instant at, String vantage, String reason, @Nullable String message,
            @Nullable Integer statusCode, @Nullable String address, @Nullable String excerpt) {}

    public CheckFailures(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /** Records the failed ones of {@code results}, from {@code vantage}. */
    public void record(String vantage, List<CheckResult> results) throws SQLException {
        List<CheckResult> failed = results.stream().filter(result -> !result.up()).toList();
        if (failed.isEmpty()) {
            return;
        }
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO check_failures (check_id,"
                    + " vantage, at_ms, reason, message, status_code, address, excerpt)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (CheckResult result : failed) {
                    insert.setString(1, result.checkId());
                    insert.setString(2, vantage);
                    insert.setLong(3, result.startedAt().toEpochMilli());
                    insert.setString(4, result.reason().wireName());
                    insert.setString(5, result.message());
                    if (result.statusCode() == null) {
                        insert.setNull(6, Types.INTEGER);
                    } else {
                        insert.setInt(6, result.statusCode());
                    }
                    insert.setString(7, clip(result.resolvedAddress(), 64));
                    insert.setString(8, result.bodyExcerpt());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** The newest failures of {@code checkId} between {@code from} and {@code to}, newest first. */
    public List<Failure> recent(String checkId, Instant from, Instant to, int limit) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<Failure> failures = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT at_ms, vantage, reason, message,"
                    + " status_code, address, excerpt FROM check_failures WHERE check_id = ? AND at_ms >= ?"
                    + " AND at_ms <= ? ORDER BY at_ms DESC, id DESC")) {
                select.setMaxRows(limit);
                select.setString(1, checkId);
                select.setLong(2, from.toEpochMilli());
                select.setLong(3, to.toEpochMilli());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        int status = rows.getInt(5);
                        failures.add(new Failure(Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2),
                                rows.getString(3), rows.getString(4), rows.wasNull() ? null : status,
                                rows.getString(6), rows.getString(7)));
                    }
                }
            }
            return failures;
        });
    }

    /** Deletes failures older than {@code cutoff}, and beyond the newest {@link #KEEP_PER_CHECK} of {@code checkId}. */
    public int prune(String checkId, Instant cutoff) throws SQLException {
        return Jdbc.inTransaction(dataSource, connection -> {
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM check_failures WHERE check_id = ? AND at_ms < ?")) {
                delete.setString(1, checkId);
                delete.setLong(2, cutoff.toEpochMilli());
                deleted = delete.executeUpdate();
            }
            Long oldestKept = null;
            try (PreparedStatement select = connection.prepareStatement("SELECT at_ms FROM check_failures"
                    + " WHERE check_id = ? ORDER BY at_ms DESC")) {
                select.setString(1, checkId);
                select.setMaxRows(KEEP_PER_CHECK);
                try (ResultSet rows = select.executeQuery()) {
                    int count = 0;
                    while (rows.next()) {
                        count++;
                        oldestKept = rows.getLong(1);
                    }
                    if (count < KEEP_PER_CHECK) {
                        oldestKept = null;
                    }
                }
            }
            if (oldestKept != null) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM check_failures WHERE check_id = ? AND at_ms < ?")) {
                    delete.setString(1, checkId);
                    delete.setLong(2, oldestKept);
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    private static @Nullable String clip(@Nullable String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
