package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A query read a batch at a time, for exports too large to hold: one pooled connection in a read-only transaction
 * with a fetch size, which is what makes the PostgreSQL driver use a server-side cursor instead of loading every row;
 * on H2 the session runs the query lazily, row by row as they are read (H2 otherwise computes the whole result,
 * spilling it to disk, before the first row: a minute for 5.27M rows in export-bench.sh, no byte sent meanwhile).
 * Holds the connection until {@link #close()}; blocking, so open, read and close it on the blocking dispatcher. Not
 * thread-safe: one reader at a time.
 *
 * @param <T> what one row becomes
 */
public final class JdbcCursor<T> implements AutoCloseable {
    /** Rows the driver fetches per round trip. */
    public static final int FETCH_SIZE = 1_000;

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Sets the statement's parameters. */
    @FunctionalInterface
    public interface Parameters {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowReader<T> reader;
    private final boolean h2;
    private boolean exhausted;
    private boolean closed;

    private JdbcCursor(Connection connection, PreparedStatement statement, ResultSet rows, RowReader<T> reader,
            boolean h2) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.reader = reader;
        this.h2 = h2;
    }

    /** Runs {@code sql} and positions before its first row; the caller must {@link #close()} the cursor. */
    public static <T> JdbcCursor<T> open(DataSource dataSource, String sql, Parameters parameters,
            RowReader<T> reader) throws SQLException {
        requireNonNull(dataSource, "dataSource is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(parameters, "parameters is null");
        requireNonNull(reader, "reader is null");
        Connection connection = dataSource.getConnection();
        PreparedStatement statement = null;
        boolean h2 = false;
        try {
            h2 = Jdbc.isH2(connection);
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            if (h2) {
                setH2LazyExecution(connection, true);
                holdH2Version(connection);
            }
            statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_SIZE);
            parameters.bind(statement);
            return new JdbcCursor<>(connection, statement, statement.executeQuery(), reader, h2);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, statement, h2, e);
            throw e;
        }
    }

    /** Up to {@code max} further rows in query order; empty once the rows are exhausted. */
    public Optional<List<T>> next(int max) throws SQLException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        if (exhausted || closed) {
            return Optional.empty();
        }
        List<T> batch = new ArrayList<>(Math.min(max, FETCH_SIZE));
        while (batch.size() < max) {
            if (!rows.next()) {
                exhausted = true;
                break;
            }
            batch.add(reader.read(rows));
        }
        return batch.isEmpty() ? Optional.empty() : Optional.of(batch);
    }

    /** Ends the read-only transaction and returns the connection to the pool; safe to call twice. */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException failure = null;
        try {
            rows.close();
            statement.close();
            // Nothing was written: rolling back ends the transaction (and a PostgreSQL cursor) whatever the state.
            connection.rollback();
        } catch (SQLException e) {
            failure = e;
        }
        if (h2) {
            // Also after a failure above: the session must not go back to the pool reading lazily.
            try {
                setH2LazyExecution(connection, false);
            } catch (SQLException e) {
                failure = chain(failure, e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            failure = chain(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The first failure, with any later one suppressed in it. */
    private static SQLException chain(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** Whether {@link #close()} ran (tests check that a cancelled export gave its connection back). */
    public boolean isClosed() {
        return closed;
    }

    /**
     * On H2, a repeatable read: at the pool's READ COMMITTED, H2 lets go of a lazy result's version when the statement
     * returns, and a compaction round ({@link EmbeddedCompaction}) between two batches could free the chunks the rest
     * of the rows are in ("Chunk ... not found"). Held until {@link #close()} ends the transaction (the pool puts the
     * isolation back); meanwhile the rounds cannot free what this version still sees.
     */
    private static void holdH2Version(Connection connection) throws SQLException {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    /** Lazy execution is a session setting: on for the cursor, off again before the pool hands the session on. */
    private static void setH2LazyExecution(Connection connection, boolean lazy) throws SQLException {
        try (Statement setting = connection.createStatement()) {
            setting.execute("SET LAZY_QUERY_EXECUTION " + (lazy ? "TRUE" : "FALSE"));
        }
    }

    private static void closeQuietly(Connection connection, PreparedStatement statement, boolean h2, Exception cause) {
        try {
            if (statement != null) {
                statement.close();
            }
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        if (h2) {
            try {
                setH2LazyExecution(connection, false);
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
