package io.steward.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
