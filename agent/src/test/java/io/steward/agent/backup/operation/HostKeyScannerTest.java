package io.steward.agent.backup.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.HostKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostKeyScannerTest {
    @Test
    void ed25519IsPreferredAndCommentsAreSkipped() {
        List<String> scanned = List.of(
                "# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10",
                "[127.0.0.1]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7",
                "[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA==",
                "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B");
        assertThat(HostKeyScanner.preferred(scanned)).contains(HostKey.parse(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH4pH4IT93EMznm7THqGRAMSxXrRgz5Tv+0kU2euyA0B"));
        assertThat(HostKeyScanner.preferred(scanned.subList(0, 2)).orElseThrow().type()).isEqualTo("ssh-rsa");
        assertThat(HostKeyScanner.preferred(List.of("# nothing answered"))).isEmpty();
    }
}
