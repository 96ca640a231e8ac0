package io.steward.node.it;

import io.steward.node.StewardNode;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The foundation contract on a real PostgreSQL 15 started by the test (production configuration). */
class AgentToNodeOnPostgresIT extends AgentToNodeContract {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path agentDir;
    /** More than the agent sends (one a second) while the test holds them. */
    private static final int HELD_REPORTS = 60;
    private PostgresServer postgres;
    private String database;

    @Override
    protected StewardNode startNode(Path dir) throws Exception {
        postgres = PostgresServer.start();
        database = postgres.jdbcUrl(postgres.createDatabase());
        return StewardNode.start(TestNodes.postgres(dir, database,
                postgres.user(), postgres.password()));
    }

    /**
     * Inserts, uncommitted, the rows the agent's next reports will take: the node's insert of one of them waits on
     * this transaction (a unique key in doubt), and goes in as new once it rolls back. A report stored meanwhile
     * keeps its row (no conflict): the hold starts at the next one.
     */
    @Override
    protected ReportHold holdReportsAfter(String serverId, long sequence) throws Exception {
        Connection holder = DriverManager.getConnection(database, postgres.user(), postgres.password());
        holder.setAutoCommit(false);
        try (PreparedStatement insert = holder.prepareStatement("INSERT INTO metric_raw"
                + " (server_id, seq, ts, writer_id, writer_seq, samples) VALUES (?, ?, 0, 'test-hold', ?, ?)"
                + " ON CONFLICT (server_id, seq) DO NOTHING")) {
            for (long next = sequence + 1; next <= sequence + HELD_REPORTS; next++) {
                insert.setString(1, serverId);
                insert.setLong(2, next);
                insert.setLong(3, next);
                insert.setBytes(4, new byte[0]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return new ReportHold() {
            @Override
            public boolean storeWaiting() throws Exception {
                try (Connection observer = DriverManager.getConnection(database, postgres.user(),
                                postgres.password());
                        PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                                + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                                + " AND query LIKE '%INSERT INTO metric_raw%' AND pid <> pg_backend_pid()");
                        ResultSet rows = waiting.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) > 0;
                }
            }

            @Override
            public void close() throws Exception {
                holder.rollback();
                holder.close();
            }
        };
    }

    @AfterAll
    void stopPostgres() {
        // Runs after the contract's @AfterAll has stopped the node (subclass callbacks run last).
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Path dataDir() {
        return dataDir;
    }

    @Override
    protected Path agentStateDir() {
        return agentDir;
    }
}
