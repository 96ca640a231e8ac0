package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        assertThat(Migrator.MIGRATIONS).extracting(Migrator.Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    }

    @Test
    void aScriptBothDatabasesRunUnchangedIsKeptOnceAndDialectScriptsReallyDiffer() throws Exception {
        List<String> common = scriptsIn("common");
        for (DatabaseSettings.Kind kind : DatabaseSettings.Kind.values()) {
            assertThat(scriptsIn(Migrator.directory(kind))).as(kind.name()).doesNotContainAnyElementsOf(common);
        }
        for (Migrator.Migration migration : Migrator.MIGRATIONS) {
            if (migration.perDialect()) {
                assertThat(SqlScript.load(migration.resource(DatabaseSettings.Kind.H2)).checksum())
                        .as(migration.scriptName())
                        .isNotEqualTo(SqlScript.load(migration.resource(DatabaseSettings.Kind.POSTGRESQL)).checksum());
            }
        }
    }

    /** The scripts a database of {@code kind} can run: its dialect's and the common ones. */
    private static List<String> scriptsOnClasspath(DatabaseSettings.Kind kind) throws IOException, URISyntaxException {
        List<String> scripts = new ArrayList<>(scriptsIn(Migrator.directory(kind)));
        scripts.addAll(scriptsIn("common"));
        return scripts;
    }

    private static List<String> scriptsIn(String directoryName) throws IOException, URISyntaxException {
        Path directory = Path.of(MigrationScriptsTest.class.getClassLoader()
                .getResource("db/" + directoryName).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
