package io.steward.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On PEM files written by openssl (test resources {@code tls/}): the formats certbot, acme.sh and openssl write. */
class PemFilesTest {
    @TempDir
    Path directory;

    private Path fixture(String name) throws IOException {
        Path file = directory.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/tls/" + name)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeysAndPkcs8EcKeysMatchingTheirCertificates() throws Exception {
        assertThat(CertifiedKey.read(fixture("rsa-cert.pem"), fixture("rsa-pkcs8-key.pem")).pin().toString())
                .isEqualTo("9C:04:B5:83:0A:B4:5F:17:97:14:1C:2E:02:45:6B:59:DB:F3:01:42:28:3B:67:4B:9D:07:26:DD:3D:E6:00:AA");
        CertifiedKey pkcs1 = CertifiedKey.read(fixture("rsa-cert.pem"), fixture("rsa-pkcs1-key.pem"));
        assertThat(pkcs1.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(pkcs1.selfSigned()).isTrue();
        CertifiedKey ec = CertifiedKey.read(fixture("ec-cert.pem"), fixture("ec-pkcs8-key.pem"));
        assertThat(ec.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        Path cert = fixture("rsa-cert.pem");
        Path key = fixture("ec-pkcs8-key.pem");
        assertThatThrownBy(() -> CertifiedKey.read(cert, key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the certificate CN=rsa-fixture");
    }

    @Test
    void unusableFilesAreNamedWithTheWayOut() throws Exception {
        assertThatThrownBy(() -> PemFiles.privateKey(fixture("ec-sec1-key.pem")))
                .hasMessageContaining("SEC1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Path garbage = directory.resolve("garbage.pem");
        Files.writeString(garbage, "hello\n");
        assertThatThrownBy(() -> PemFiles.privateKey(garbage))
                .hasMessage(garbage + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        assertThatThrownBy(() -> PemFiles.certificates(garbage)).hasMessageStartingWith(garbage.toString());
        assertThatThrownBy(() -> PemFiles.certificates(fixture("rsa-pkcs8-key.pem")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void writtenPemReadsBack() throws Exception {
        CertifiedKey pair = CertifiedKey.read(fixture("ec-cert.pem"), fixture("ec-pkcs8-key.pem"));
        Path cert = directory.resolve("out-cert.pem");
        Path key = directory.resolve("out-key.pem");
        Files.writeString(cert, PemFiles.certificatePem(pair.leaf()));
        Files.writeString(key, PemFiles.privateKeyPem(pair.key()));
        assertThat(CertifiedKey.read(cert, key).pin()).isEqualTo(pair.pin());
    }
}
