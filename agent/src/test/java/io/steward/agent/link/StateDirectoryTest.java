package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.IntStream;
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
    void theEnrollmentProofIsRandomStableAndReadableByTheOwnerOnly() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        String proof = state.enrollmentProof();
        assertThat(proof).hasSize(48).isEqualTo(StateDirectory.open(directory).enrollmentProof());
        assertThat(StateDirectory.open(directory.resolve("other")).enrollmentProof()).isNotEqualTo(proof);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("enrollment-proof"))))
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

    @Test
    void remembersHubsInTheirOrderBounded() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        assertThat(state.rememberedHubs()).isEmpty();
        state.saveHubs(List.of("ws://b/ws/agent", "ws://a/ws/agent"));
        assertThat(Files.readString(directory.resolve("hubs"))).isEqualTo("ws://b/ws/agent\nws://a/ws/agent\n");
        assertThat(StateDirectory.open(directory).rememberedHubs()).containsExactly("ws://b/ws/agent", "ws://a/ws/agent");
        assertThat(directory.resolve("hubs.tmp")).doesNotExist();

        List<String> many = IntStream.range(0, 100).mapToObj(n -> "ws://h" + n + "/ws/agent").toList();
        state.saveHubs(many);
        assertThat(state.rememberedHubs()).hasSize(StateDirectory.MAXIMUM_REMEMBERED_HUBS)
                .isEqualTo(many.subList(0, StateDirectory.MAXIMUM_REMEMBERED_HUBS));
    }

    @Test
    void aHubsFileTooLargeOrNotTextIsRefused() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Files.write(directory.resolve("hubs"), new byte[(int) StateDirectory.MAXIMUM_HUBS_BYTES + 1]);
        assertThatThrownBy(state::rememberedHubs).isInstanceOf(IOException.class).hasMessageContaining("more than");
        Files.write(directory.resolve("hubs"), new byte[] {'w', 's', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(state::rememberedHubs).isInstanceOf(IOException.class);
    }
}
