package io.steward.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own backup allow-lists: strict, and every mistake named. */
class BackupsConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private static BackupsConfig parse(String json) throws Exception {
        return BackupsConfig.parse(JSON.readTree(json));
    }

    private static String mistake(String json) {
        try {
            parse(json);
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a mistake in " + json);
    }

    @Test
    void aConfigListsWhatMayBeReadAndWhereItMayGoWithDebiansProgramsByDefault() throws Exception {
        BackupsConfig config = parse("""
                {"allowSources": ["/srv/", "/etc//nginx", "/srv"],
                 "allowDestinations": ["backup.example.com", "10.0.0.9:2222", "[fd00::9]:22", "fd00::10"]}""");
        assertThat(config.allowSources()).containsExactly("/srv", "/etc/nginx");
        assertThat(config.allowDestinations())
                .containsExactly("backup.example.com", "10.0.0.9:2222", "[fd00::9]:22", "fd00::10");
        assertThat(config.programs()).isEqualTo(Programs.DEBIAN);
    }

    @Test
    void programsMayBeNamedButMustBeAbsoluteExecutables() throws Exception {
        Path rsync = directory.resolve("rsync");
        Files.writeString(rsync, "#!/bin/sh\n");
        Files.setPosixFilePermissions(rsync, PosixFilePermissions.fromString("rwxr-xr-x"));
        BackupsConfig config = parse("{\"allowSources\": [\"/srv\"], \"allowDestinations\": [\"b\"], \"rsync\": \""
                + rsync + "\"}");
        assertThat(config.programs().rsync()).isEqualTo(rsync);
        assertThat(config.programs().ssh()).isEqualTo(Programs.DEBIAN.ssh());

        String base = "{\"allowSources\": [\"/srv\"], \"allowDestinations\": [\"b\"], ";
        assertThat(mistake(base + "\"ssh\": \"ssh\"}")).isEqualTo("ssh: 'ssh' must be an absolute path without '.'"
                + " or '..'");
        assertThat(mistake(base + "\"ssh\": \"/usr/bin/../bin/ssh\"}")).contains("without '.' or '..'");
        assertThat(mistake(base + "\"sshKeygen\": \"" + directory.resolve("missing") + "\"}"))
                .isEqualTo("sshKeygen: " + directory.resolve("missing") + " is not an executable file (install it,"
                        + " or name its path with \"sshKeygen\")");
        assertThat(mistake(base + "\"sshKeyscan\": 7}"))
                .isEqualTo("sshKeyscan must be the absolute path of the program");
    }

    @Test
    void everyMistakeIsNamed() {
        String destinations = "\"allowDestinations\": [\"b\"]";
        assertThat(mistake("[]")).startsWith("the top level must be an object");
        assertThat(mistake("{\"allowSource\": [\"/srv\"], " + destinations + "}"))
                .startsWith("unknown key \"allowSource\"");
        assertThat(mistake("{" + destinations + "}")).isEqualTo("allowSources is required: a list of at least one"
                + " entry");
        assertThat(mistake("{\"allowSources\": [], " + destinations + "}"))
                .isEqualTo("allowSources must be a non-empty list");
        assertThat(mistake("{\"allowSources\": \"/srv\", " + destinations + "}"))
                .isEqualTo("allowSources must be a non-empty list");
        assertThat(mistake("{\"allowSources\": [\"/srv\", 3], " + destinations + "}"))
                .isEqualTo("allowSources[1] must be text");
        assertThat(mistake("{\"allowSources\": [\"srv\"], " + destinations + "}"))
                .isEqualTo("allowSources[0]: 'srv' is not an absolute path");
        assertThat(mistake("{\"allowSources\": [\"/srv/../etc\"], " + destinations + "}"))
                .isEqualTo("allowSources[0]: '/srv/../etc' must not contain '.' or '..'");
        assertThat(mistake("{\"allowSources\": [\"/srv/./www\"], " + destinations + "}")).contains("'.' or '..'");

        String sources = "\"allowSources\": [\"/srv\"], ";
        assertThat(mistake("{" + sources + "\"allowDestinations\": []}"))
                .isEqualTo("allowDestinations must be a non-empty list");
        assertThat(mistake("{" + sources + "\"allowDestinations\": [\"ok\", \"-oProxyCommand=x\"]}"))
                .isEqualTo("allowDestinations[1]: '-oProxyCommand=x' is not host, host:port or [v6]:port");
        assertThat(mistake("{" + sources + "\"allowDestinations\": [\"b:0\"]}"))
                .isEqualTo("allowDestinations[0]: 'b:0' has no valid port (1 to 65535)");
        assertThat(mistake("{" + sources + "\"allowDestinations\": [\"b:ssh\"]}")).contains("has no valid port");
        assertThat(mistake("{" + sources + "\"allowDestinations\": [\"[fd00::9\"]}")).contains("is not host");
        assertThat(mistake("{" + sources + "\"allowDestinations\": [\"user@host\"]}")).contains("is not host");
    }

    @Test
    void aFileThatIsNotJsonSaysSo() throws Exception {
        Path file = directory.resolve("backups.json");
        Files.writeString(file, "{allowSources: }");
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessageStartingWith(file + " is not valid JSON");
        Files.writeString(file, "{\"allowSources\": [\"/srv\"]}");
        assertThatThrownBy(() -> BackupsConfig.load(file))
                .hasMessage(file + ": allowDestinations is required: a list of at least one entry");
    }

    private Path backupsFile(String programs) throws Exception {
        Path file = directory.resolve("backups.json");
        Files.writeString(file, "{\"allowSources\": [\"/srv\"], \"allowDestinations\": [\"b\"]" + programs + "}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private Path program(String name, String permissions) throws Exception {
        Path program = Files.writeString(directory.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString(permissions));
        return program;
    }

    @Test
    void aBackupsFileOthersMayWriteOrSwapIsRefused() throws Exception {
        Path file = backupsFile("");
        assertThat(BackupsConfig.load(file).allowSources()).containsExactly("/srv");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessage(file + " is writable by other users "
                + "(rw-rw-r--); it decides what the agent runs and reads: chmod go-w " + file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--rw-"));
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessageStartingWith(file + " is writable by other "
                + "users (rw-r--rw-)");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessage(directory + " (the directory holding " + file
                + ") is writable by other users (rwxrwxrwx), so backups.json could be swapped; it decides what the "
                + "agent runs and reads: chmod go-w " + directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));

        // A link to a good file from a directory others may write is refused too: the link could be swapped.
        Path open = Files.createDirectory(directory.resolve("open"));
        Path link = Files.createSymbolicLink(open.resolve("backups.json"), file);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> BackupsConfig.load(link)).hasMessageStartingWith(open + " (the directory holding "
                + link + ") is writable by other users");
    }

    @Test
    void aBackupsFileOfAnotherUserIsRefused() throws Exception {
        assumeTrue(!"nobody".equals(System.getProperty("user.name")));
        Path file = backupsFile("");
        UserPrincipal nobody;
        try {
            nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
        } catch (IOException e) {
            abort("cannot give a file to nobody here: " + e.getMessage());
            return;
        }
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessage(file + " belongs to nobody, not to root or "
                + "the agent's user " + System.getProperty("user.name") + "; it decides what the agent runs and "
                + "reads: chown root " + file);

        Path rsync = program("rsync", "rwxr-xr-x");
        Files.setOwner(rsync, nobody);
        Path good = directory.resolve("good.json");
        Files.writeString(good, "{\"allowSources\": [\"/srv\"], \"allowDestinations\": [\"b\"], \"rsync\": \""
                + rsync + "\"}");
        assertThatThrownBy(() -> BackupsConfig.load(good)).hasMessageContaining("rsync: " + rsync + " belongs to "
                + "nobody");
    }

    @Test
    void aProgramOthersMayChangeOrSwapIsRefused() throws Exception {
        Path rsync = program("rsync", "rwxr-xr-x");
        Path file = backupsFile(", \"rsync\": \"" + rsync + "\"");
        assertThat(BackupsConfig.load(file).programs().rsync()).isEqualTo(rsync);

        Files.setPosixFilePermissions(rsync, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessage(file + ": rsync: " + rsync + " is writable by "
                + "other users (rwxr-xrwx); the agent runs it: chmod go-w " + rsync);
        Files.setPosixFilePermissions(rsync, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> BackupsConfig.load(file)).hasMessageContaining("rsync: " + rsync + " is writable");

        // In a directory others may write, the program could be replaced by any other.
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Path ssh = Files.writeString(shared.resolve("ssh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path withSsh = backupsFile(", \"ssh\": \"" + ssh + "\"");
        assertThatThrownBy(() -> BackupsConfig.load(withSsh)).hasMessage(withSsh + ": ssh: " + shared + " (the "
                + "directory holding " + ssh + ") is writable by other users (rwxrwxrwx), so ssh could be swapped; "
                + "the agent runs it: chmod go-w " + shared);

        // Relative paths and files that are not executable are refused before anything else.
        assertThatThrownBy(() -> BackupsConfig.load(backupsFile(", \"sshKeygen\": \"bin/ssh-keygen\"")))
                .hasMessageEndingWith("sshKeygen: 'bin/ssh-keygen' must be an absolute path without '.' or '..'");
        Path notExecutable = program("keyscan", "rw-r--r--");
        assertThatThrownBy(() -> BackupsConfig.load(backupsFile(", \"sshKeyscan\": \"" + notExecutable + "\"")))
                .hasMessageContaining("sshKeyscan: " + notExecutable + " is not an executable file");
    }
}
