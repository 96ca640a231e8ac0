package io.steward.node.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletionException;

/** Small shared helpers of the notify package: nullable columns, and blocking work inside futures. */
final class Rows {
    private Rows() {}

    /** A nullable epoch-millisecond column. */
    static Instant instant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    static Double number(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    /** Checked work (JDBC) run where only unchecked exceptions may leave, e.g. inside a future. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    static <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
