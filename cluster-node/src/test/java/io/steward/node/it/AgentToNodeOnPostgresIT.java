package io.steward.node.it;

import io.steward.node.StewardNode;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The foundation contract on a real PostgreSQL 15 started by the test (production configuration). */
class AgentToNodeOnPostgresIT extends AgentToNodeContract {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path agentDir;
    private PostgresServer postgres;

    @Override
    protected StewardNode startNode(Path dir) throws Exception {
        postgres = PostgresServer.start();
        return StewardNode.start(TestNodes.postgres(dir, postgres.jdbcUrl(postgres.createDatabase()),
                postgres.user(), postgres.password()));
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
