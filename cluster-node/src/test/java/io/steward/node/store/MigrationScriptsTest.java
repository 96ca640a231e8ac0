package io.steward.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationScriptsTest {

    @Test
    void splitsStatementsAndDropsComments() {
        SqlScript script = SqlScript.parse("V9__x.sql", """
                -- a comment; with a semicolon
                CREATE TABLE a (id INT); CREATE TABLE b (
                    id INT -- trailing; comment
                );
                """);

        assertThat(script.statements()).containsExactly("CREATE TABLE a (id INT)", "CREATE TABLE b (\n    id INT \n)");
        assertThat(script.checksum()).hasSize(64);
    }

    @Test
    void theChecksumIgnoresLineEndingsOnly() {
        String text = "CREATE TABLE a (id INT);\n";
        assertThat(SqlScript.parse("a", text).checksum())
                .isEqualTo(SqlScript.parse("a", text.replace("\n", "\r\n")).checksum())
                .isNotEqualTo(SqlScript.parse("a", text.replace("INT", "BIGINT")).checksum());
    }

    @Test
    void refusesWhatTheSplitterCannotHandle() {
        assertThatThrownBy(() -> SqlScript.parse("V9__x.sql", "INSERT INTO a VALUES ('x;y');"))
                .hasMessageContaining("string literals");
        assertThatThrownBy(() -> SqlScript.parse("V9__x.sql", "CREATE TABLE a (id INT)"))
                .hasMessageContaining("does not end with ';'");
    }

    @Test
    void everyMigrationHasAScriptForEveryDialectAndNoScriptIsUnlisted() throws Exception {
        for (DatabaseSettings.Kind kind : DatabaseSettings.Kind.values()) {
            List<String> listed = Migrator.MIGRATIONS.stream().map(Migrator.Migration::scriptName).toList();
            assertThat(scriptsOnClasspath(kind)).as(kind.name()).containsExactlyInAnyOrderElementsOf(listed);
            for (Migrator.Migration migration : Migrator.MIGRATIONS) {
                assertThat(SqlScript.load(migration.resource(kind)).statements()).isNotEmpty();
            }
        }
        assertThat(Migrator.MIGRATIONS).extracting(Migrator.Migration::version).containsExactly(1, 2, 3, 4);
    }

    private static List<String> scriptsOnClasspath(DatabaseSettings.Kind kind) throws IOException, URISyntaxException {
        Path directory = Path.of(MigrationScriptsTest.class.getClassLoader()
                .getResource("db/" + Migrator.directory(kind)).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
