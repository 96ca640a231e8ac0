package io.steward.node.it;

import io.steward.node.StewardNode;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The export endpoints on a real PostgreSQL 15, where only a cursor (autocommit off, fetch size) streams rows. */
class ExportOnPostgresIT extends ExportContract {
    @TempDir
    static Path dataDir;
    private PostgresServer postgres;

    @Override
    protected StewardNode startNode() throws Exception {
        postgres = PostgresServer.start();
        return StewardNode.start(TestNodes.postgres(dataDir, postgres.jdbcUrl(postgres.createDatabase()),
                postgres.user(), postgres.password()));
    }

    @AfterAll
    void stopPostgres() {
        // Runs after the contract's @AfterAll has stopped the node (subclass callbacks run last).
        if (postgres != null) {
            postgres.close();
        }
    }
}
