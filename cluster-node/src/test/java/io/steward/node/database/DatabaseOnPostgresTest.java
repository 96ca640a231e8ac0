package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.testing.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database contract on a real PostgreSQL 15, a new database per test on one throwaway server. */
class DatabaseOnPostgresTest extends DatabaseContract {
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The file compaction is embedded H2's; a PostgreSQL server reclaims its own space (autovacuum). */
    @Test
    void hasNoFileCompaction() {
        assertThat(EmbeddedCompaction.of(database, Duration.ofSeconds(1))).isEmpty();
    }

    @Override
    protected DatabaseSettings newDatabase() {
        return new DatabaseSettings(postgres.jdbcUrl(postgres.createDatabase()), postgres.user(),
                postgres.password(), 4);
    }
}
