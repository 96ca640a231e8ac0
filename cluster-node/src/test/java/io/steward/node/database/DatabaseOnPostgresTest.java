package io.steward.node.database;

import io.steward.node.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected DatabaseSettings newDatabase() {
        return new DatabaseSettings(postgres.jdbcUrl(postgres.createDatabase()), postgres.user(),
                postgres.password(), 4);
    }
}
