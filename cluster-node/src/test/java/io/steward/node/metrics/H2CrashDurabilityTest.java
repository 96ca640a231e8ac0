package io.steward.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.database.DatabaseSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit H2 acknowledged survives the process being killed (SIGKILL), as an ack to an agent promises. */
class H2CrashDurabilityTest {
    /** Acknowledged sequences to see before the kill; the default write delay lost most of 3,000 in trials. */
    private static final long ACKNOWLEDGED_BEFORE_KILL = 2_000;

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedCommitsSurviveAKilledProcess() throws Exception {
        Process writer = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback-test.xml",
                "-cp", System.getProperty("java.class.path"),
                H2CrashWriter.class.getName(), dataDir.toAbsolutePath().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long acknowledged = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < ACKNOWLEDGED_BEFORE_KILL && (line = lines.readLine()) != null) {
                if (line.chars().allMatch(Character::isDigit) && !line.isEmpty()) {
                    acknowledged = Long.parseLong(line);
                }
            }
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("the writer process reported its commits").isGreaterThanOrEqualTo(
                ACKNOWLEDGED_BEFORE_KILL);

        DatabaseSettings settings = DatabaseSettings.h2File(dataDir.toAbsolutePath());
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password());
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM metric_raw")) {
                rows.next();
                assertThat(rows.getLong(1)).isGreaterThanOrEqualTo(acknowledged);
            }
            statement.execute("SHUTDOWN");
        }
    }
}
