package io.steward.node.metrics;

import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.database.Jdbc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link H2CrashDurabilityTest}: commits reports of 10 rows per transaction into the H2 database
 * in {@code args[0]} and prints the highest committed sequence after each commit, until it is killed.
 */
public final class H2CrashWriter {
    private H2CrashWriter() {}

    public static void main(String[] args) throws Exception {
        try (Database database = Database.open(DatabaseSettings.h2File(Path.of(args[0])))) {
            database.migrate();
            StoreDialect dialect = StoreDialect.of(database.kind());
            long sequence = 0;
            while (true) {
                List<StoreDialect.RawRow> rows = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    sequence++;
                    rows.add(new StoreDialect.RawRow("srv-1", sequence, sequence, sequence, new byte[500]));
                }
                Jdbc.inTransaction(database.dataSource(), connection ->
                        dialect.insertRawIfAbsent(connection, "crash-writer", rows));
                System.out.println(sequence);
                System.out.flush();
            }
        }
    }
}
