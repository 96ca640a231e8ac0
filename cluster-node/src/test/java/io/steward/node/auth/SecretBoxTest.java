package io.steward.node.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file and sealed values: created owner-only, reopened as the same key, bound to their row. */
class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndOpensAsTheSameKeyNextTime() throws Exception {
        Path file = dir.resolve("keys").resolve("secret.key");
        SecretBox first = SecretBox.open(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String sealed = first.seal("{\"botToken\":\"123:ABC\"}", "channel-1");
        assertThat(sealed).startsWith(SecretBox.PREFIX + first.keyId() + ":").doesNotContain("123:ABC");

        SecretBox again = SecretBox.open(file);
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(again.open(sealed, "channel-1")).isEqualTo("{\"botToken\":\"123:ABC\"}");
    }

    @Test
    void aLooseKeyFileIsTightenedToItsOwner() throws Exception {
        Path file = dir.resolve("secret.key");
        SecretBox.open(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretBox.open(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aValueOpensOnlyWithItsKeyAndForItsRow() throws Exception {
        SecretBox box = SecretBox.of(new byte[32]);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String sealed = box.seal("secret", "channel-1");
        assertThatThrownBy(() -> SecretBox.of(otherKey).open(sealed, "channel-1"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("same secret key file");
        assertThatThrownBy(() -> box.open(sealed, "channel-2")).isInstanceOf(GeneralSecurityException.class);
        assertThat(box.seal("secret", "channel-1")).isNotEqualTo(sealed); // a fresh nonce every time
    }

    @Test
    void aKeyFileOfTheWrongSizeIsRefused() throws Exception {
        Path file = dir.resolve("short.key");
        Files.writeString(file, "c2hvcnQ=\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SecretBox.open(file)).hasMessageContaining("must hold 32 bytes");
    }
}
