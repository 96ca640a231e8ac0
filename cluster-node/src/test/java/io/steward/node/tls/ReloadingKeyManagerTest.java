package io.steward.node.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {
    @TempDir
    Path directory;
    private final AtomicLong now = new AtomicLong();
    private void install(String certName, String keyName, int secondsLater) throws IOException {
        copy(certName, directory.resolve("cert.pem"), secondsLater);
        copy(keyName, directory.resolve("key.pem"), secondsLater);
    }

    private void copy(String name, Path target, int secondsLater) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/tls/" + name)) {
            Files.write(target, in.readAllBytes());
        }
        // File times move on explicitly: the test must not depend on the file system's time resolution.
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2026-12-02T00:00:00Z").plusSeconds(secondsLater)));
    }

    private ReloadingKeyManager manager() throws IOException {
        return new ReloadingKeyManager(directory.resolve("cert.pem"), directory.resolve("key.pem"),
                Duration.ofSeconds(5), now::get);
    }

    @Test
    void aRenewedPairIsServedAfterTheNextCheckAndAHandshakeInProgressKeepsItsPair() throws Exception {
        install("rsa-cert.pem", "rsa-pkcs8-key.pem", 0);
        ReloadingKeyManager keys = manager();
        String first = keys.chooseEngineServerAlias("RSA", null, null);
        assertThat(keys.getCertificateChain(first)[0].getSubjectX500Principal().getName()).isEqualTo("CN=rsa-fixture");
        assertThat(keys.chooseEngineServerAlias("EC", null, null)).isNull();

        install("ec-cert.pem", "ec-pkcs8-key.pem", 60);
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).as("not checked again yet").isEqualTo(first);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        String second = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(keys.getCertificateChain(second)[0].getSubjectX500Principal().getName()).isEqualTo("CN=ec-fixture");
        assertThat(keys.getPrivateKey(first).getAlgorithm()).as("the old pair, for a handshake that chose it")
                .isEqualTo("RSA");
        assertThat(keys.current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=ec-fixture");
    }

    @Test
    void aHalfWrittenRenewalKeepsThePreviousPairUntilItIsComplete() throws Exception {
        install("rsa-cert.pem", "rsa-pkcs8-key.pem", 0);
        ReloadingKeyManager keys = manager();
        copy("ec-cert.pem", directory.resolve("cert.pem"), 60); // the new certificate, the old key still there
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        keys.reloadIfChanged();
        assertThat(keys.current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=rsa-fixture");

        copy("ec-pkcs8-key.pem", directory.resolve("key.pem"), 61);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        keys.reloadIfChanged();
        assertThat(keys.current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=ec-fixture");
    }
}
