package io.steward.node.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Transaction boilerplate (commit on success, roll back and rethrow on any failure) and SQLSTATE checks, for every
 * store.
 */
public final class Jdbc {
    private Jdbc() {}

    /** Work done with one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /**
     * Reads in one read-only transaction at the given isolation level, so its queries see one consistent state. H2's
     * repeatable read takes each table's snapshot when a statement first touches that table (a row moved from one
     * table to another in between is seen in neither), so there it reads serializable, which snapshots every table
     * at the first statement as PostgreSQL's repeatable read does; a read-only transaction meets no serialization
     * failure.
     */
    public static <T> T readConsistently(DataSource dataSource, int isolation, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(isolation == Connection.TRANSACTION_REPEATABLE_READ
                    && isH2(connection)
                    ? Connection.TRANSACTION_SERIALIZABLE : isolation);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Whether the connection is to embedded H2 (whose isolation and session settings differ from PostgreSQL's). */
    static boolean isH2(Connection connection) throws SQLException {
        return "H2".equals(connection.getMetaData().getDatabaseProductName());
    }

    /** Work with one connection in auto-commit mode. */
    public static <T> T withConnection(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Integrity constraint violations (SQLSTATE class 23), e.g. a key inserted concurrently by another node. */
    public static boolean isIntegrityViolation(SQLException e) {
        return hasStateClass(e, "23");
    }

    /**
     * Failures a retry of the whole transaction can overcome: integrity violations from a concurrent insert of the
     * same key, and serialization failures or deadlocks (class 40).
     */
    public static boolean isConflict(SQLException e) {
        return hasStateClass(e, "23") || hasStateClass(e, "40");
    }

    /**
     * Data and integrity errors (SQLSTATE classes 22, 23): the fault of the values written, not of the database —
     * retrying the same write cannot help.
     */
    public static boolean isDataError(SQLException e) {
        return hasStateClass(e, "22") || hasStateClass(e, "23");
    }

    private static boolean hasStateClass(SQLException e, String stateClass) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(stateClass)) {
                return true;
            }
        }
        return false;
    }
}
