package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void anH2FileDatabaseLivesInTheDataDirectoryWithLowerCaseNames() {
        DatabaseSettings settings = DatabaseSettings.h2File(Path.of("/var/lib/steward"));

        assertThat(settings.jdbcUrl())
                .isEqualTo("jdbc:h2:file:/var/lib/steward/steward;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;"
                        + "DATABASE_TO_UPPER=FALSE;ANALYZE_AUTO=0");
        assertThat(settings.kind()).isEqualTo(DatabaseSettings.Kind.H2);
        assertThat(settings.user()).isEqualTo("sa");
        assertThat(settings.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anH2UrlFromTheConfigIsLeftForTheNodeToCloseToo() {
        // H2's own exit hook would close it under the node's orderly stop; a URL that says otherwise is kept as is.
        // Nor does H2 gather statistics inside commits (EmbeddedStatistics does), unless the URL says so.
        assertThat(new DatabaseSettings("jdbc:h2:file:/srv/st/db", "sa", "", 2).jdbcUrl())
                .isEqualTo("jdbc:h2:file:/srv/st/db;DB_CLOSE_ON_EXIT=FALSE;ANALYZE_AUTO=0");
        assertThat(new DatabaseSettings("jdbc:h2:file:/srv/st/db;db_close_on_exit=true;analyze_auto=100", "sa", "", 2)
                .jdbcUrl()).isEqualTo("jdbc:h2:file:/srv/st/db;db_close_on_exit=true;analyze_auto=100");
        // A path that merely contains the name is no setting.
        assertThat(new DatabaseSettings("jdbc:h2:file:/srv/ANALYZE_AUTO/db", "sa", "", 2).jdbcUrl())
                .endsWith(";ANALYZE_AUTO=0");
    }

    @Test
    void knowsWhenH2GathersStatisticsInsideCommits() {
        assertThat(DatabaseSettings.h2File(Path.of("/var/lib/steward")).h2AnalyzesInCommits()).isFalse();
        assertThat(new DatabaseSettings("jdbc:h2:file:/srv/st/db;ANALYZE_AUTO=2000", "sa", "", 2).h2AnalyzesInCommits())
                .isTrue();
        assertThat(new DatabaseSettings("jdbc:h2:file:/srv/st/db;analyze_auto=0", "sa", "", 2).h2AnalyzesInCommits())
                .isFalse();
        assertThat(new DatabaseSettings("jdbc:postgresql://db/s", "u", "p", 2).h2AnalyzesInCommits()).isFalse();
    }

    @Test
    void aPostgresqlUrlIsPostgresql() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://db:5432/steward", "u", "p", 8);

        assertThat(settings.kind()).isEqualTo(DatabaseSettings.Kind.POSTGRESQL);
        assertThat(settings.maxConnections()).isEqualTo(8);
    }

    @Test
    void refusesOtherDatabasesNamingTheSupportedOnes() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:mysql://db/steward?password=secret", "u", "p", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported database URL 'jdbc:mysql://db/steward?...'")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("secret");
    }

    @Test
    void refusesARelativeH2DirectoryAndImpossibleLimits() {
        assertThatThrownBy(() -> DatabaseSettings.h2File(Path.of("data")))
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/s", "u", "p", 0))
                .hasMessageContaining("maxConnections must be >= 1");
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/s", "u", "p", 1, Duration.ofMillis(10)))
                .hasMessageContaining("at least 250 ms");
    }

    @Test
    void toStringHidesThePassword() {
        assertThat(new DatabaseSettings("jdbc:postgresql://db/s", "u", "hunter2", 1).toString())
                .doesNotContain("hunter2");
    }
}
