package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path directory;

    @Test
    void savesTheCredentialReadableByTheOwnerOnly() throws Exception {
        StateDirectory state = StateDirectory.open(directory.resolve("nested/state"));
        assertThat(state.credential()).isEmpty();
        assertThat(StateDirectory.hasCredential(state.path())).isFalse();
        state.saveCredential("secret-1");
        state.saveCredential("secret-2");
        assertThat(StateDirectory.open(state.path()).credential()).contains("secret-2");
        assertThat(StateDirectory.hasCredential(state.path())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.credentialFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void aGeneratedMachineIdIsStable() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        String first = state.generatedMachineId();
        assertThat(first).hasSize(32);
        assertThat(StateDirectory.open(directory).generatedMachineId()).isEqualTo(first);
        assertThat(StateDirectory.open(directory.resolve("other")).generatedMachineId()).isNotEqualTo(first);
        assertThat(state.machineId()).isNotBlank();
    }
}
