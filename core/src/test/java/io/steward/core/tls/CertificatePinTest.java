package io.steward.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fingerprints checked against openssl's ({@code openssl x509 -fingerprint -sha256} of the fixture). */
class CertificatePinTest {
    private static final String OPENSSL_FINGERPRINT =
            "B8:16:78:6B:FE:98:C6:C6:F9:67:57:75:41:76:26:FC:73:1A:2B:82:07:ED:00:B2:0B:B3:CA:B4:22:F1:1B:13";
    private static final String OPENSSL_BASE64 = "uBZ4a/6Yxsb5Z1d1QXYm/HMaK4IH7QCyC7PKtCLxGxM=";

    private static X509Certificate certificate;

    @BeforeAll
    static void readFixture() throws Exception {
        try (InputStream in = CertificatePinTest.class.getResourceAsStream("/tls/fixture-cert.pem")) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void fingerprintOfACertificateIsWhatOpensslPrints() {
        assertThat(CertificatePin.of(certificate).toString()).isEqualTo(OPENSSL_FINGERPRINT);
    }

    @Test
    void readsEveryWayAUserMayPasteIt() {
        CertificatePin expected = CertificatePin.of(certificate);
        assertThat(CertificatePin.parse(OPENSSL_FINGERPRINT)).isEqualTo(expected);
        assertThat(CertificatePin.parse(OPENSSL_FINGERPRINT.replace(":", "").toLowerCase())).isEqualTo(expected);
        assertThat(CertificatePin.parse("  " + OPENSSL_BASE64 + "\n")).isEqualTo(expected);
        assertThat(CertificatePin.parse("sha256/" + OPENSSL_BASE64)).isEqualTo(expected);
        assertThat(expected.matches(certificate)).isTrue();
    }

    @Test
    void anotherFingerprintDoesNotMatch() {
        CertificatePin other = CertificatePin.parse(OPENSSL_FINGERPRINT.replace("B8:16", "B8:17"));
        assertThat(other.matches(certificate)).isFalse();
    }

    @Test
    void refusesWhatIsNotASha256Fingerprint() {
        assertThatThrownBy(() -> CertificatePin.parse("AB:CD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> CertificatePin.parse("c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'c2hvcnQ='");
        assertThatThrownBy(() -> CertificatePin.parse(OPENSSL_FINGERPRINT.replace("B8", "ZZ")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
