package io.steward.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
    private static final Path DIRECTORY = Path.of("/var/lib/steward/tls");

    private static TlsSettings settings(Path cert, Path key, boolean off) {
        return new TlsSettings(cert, key, off, Duration.ofSeconds(5), 0, DIRECTORY);
    }

    @Test
    void beyondLoopbackWithoutFilesTheNodeMakesItsOwnCertificate() {
        TlsSettings auto = settings(null, null, false);
        assertThat(auto.plan("0.0.0.0")).isEqualTo(new TlsSettings.SelfSigned(DIRECTORY));
        assertThat(auto.plan("::")).isEqualTo(new TlsSettings.SelfSigned(DIRECTORY));
        assertThat(auto.plan("10.0.0.5")).isEqualTo(new TlsSettings.SelfSigned(DIRECTORY));
        assertThat(auto.plan("steward.example.com")).isEqualTo(new TlsSettings.SelfSigned(DIRECTORY));
        assertThat(auto.plan("cafe")).as("a name, never looked up").isEqualTo(new TlsSettings.SelfSigned(DIRECTORY));
    }

    @Test
    void onLoopbackPlainHttp() {
        TlsSettings auto = settings(null, null, false);
        assertThat(auto.plan("127.0.0.1")).isEqualTo(new TlsSettings.Plain());
        assertThat(auto.plan("127.0.1.1")).isEqualTo(new TlsSettings.Plain());
        assertThat(auto.plan("::1")).isEqualTo(new TlsSettings.Plain());
        assertThat(auto.plan("[::1]")).isEqualTo(new TlsSettings.Plain());
        assertThat(auto.plan("localhost")).isEqualTo(new TlsSettings.Plain());
    }

    @Test
    void givenFilesWinAndOffMeansPlain() {
        Path cert = Path.of("cert.pem");
        Path key = Path.of("key.pem");
        assertThat(settings(cert, key, false).plan("127.0.0.1")).isEqualTo(new TlsSettings.GivenCertificate(cert, key));
        assertThat(settings(null, null, true).plan("0.0.0.0")).isEqualTo(new TlsSettings.Plain());
    }

    @Test
    void contradictionsAreRefused() {
        assertThatThrownBy(() -> settings(Path.of("cert.pem"), null, false)).hasMessageContaining("give both");
        assertThatThrownBy(() -> settings(Path.of("c"), Path.of("k"), true)).hasMessageContaining("mode = off");
    }
}
