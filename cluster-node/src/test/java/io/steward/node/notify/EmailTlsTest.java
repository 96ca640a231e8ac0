package io.steward.node.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.ConfigFactory;
import io.steward.core.alerting.Severity;
import io.steward.core.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email over implicit TLS to a real SMTP server (GreenMail) whose certificate (made by keytool for 127.0.0.1) no
 * public CA signed: refused by default, delivered once the channel trusts that certificate; and STARTTLS that a
 * server does not offer is a failure, never a fallback to clear text.
 */
class EmailTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static String pem;
    private static GreenMail smtps;
    private static GreenMail smtp;

    @BeforeAll
    static void startServers() throws Exception {
        Path keystore = dir.resolve("smtp.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path cert = dir.resolve("smtp.pem");
        run(keytool, "-exportcert", "-rfc", "-alias", "smtp", "-keystore", keystore.toString(), "-storepass",
                PASSWORD, "-file", cert.toString());
        pem = Files.readString(cert);
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", PASSWORD);
        System.setProperty("greenmail.tls.key.password", PASSWORD);
        smtps = new GreenMail(new ServerSetup(FreePort.find(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
        smtp = new GreenMail(new ServerSetup(FreePort.find(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stopServers() {
        smtps.stop();
        smtp.stop();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static Channel email(String security, int port, String certificate) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("host", "127.0.0.1", "port", port,
                "security", security, "from", "steward@example.org", "to", List.of("ops@example.org")));
        if (certificate != null) {
            settings.put("tlsCertificate", certificate);
        }
        ChannelKind.EMAIL.validate(settings, Map.of());
        return new Channel("mail", "Mail", ChannelKind.EMAIL, true, EnumSet.allOf(Severity.class), List.of(),
                List.of(), null, settings, Map.of(), Instant.now(), Instant.now(), null);
    }

    @Test
    void implicitTlsIsRefusedForAnUnknownCertificateAndWorksOnceTheChannelTrustsIt() throws Exception {
        ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(10), EgressPolicy.fromConfig(ConfigFactory.load()), Clock.systemUTC());
        Notification test = Notification.test("Mail", Instant.now(), null);
        int port = smtps.getSmtps().getPort();
        assertThatThrownBy(() -> senders.send(email("tls", port, null), test, 1))
                .isInstanceOf(Sender.DeliveryException.class).hasMessageContaining("SMTP 127.0.0.1");
        senders.send(email("tls", port, pem), test, 2);
        assertThat(smtps.getReceivedMessages()).hasSize(1);
        assertThat(smtps.getReceivedMessages()[0].getSubject()).isEqualTo("[Steward] Test notification");
    }

    @Test
    void starttlsIsRequiredSoAServerWithoutItNeverGetsTheMessageInClear() {
        // GreenMail's plain SMTP offers no STARTTLS: exactly the downgrade a man in the middle would try.
        ChannelSenders senders = new ChannelSenders(Duration.ofSeconds(10), EgressPolicy.fromConfig(ConfigFactory.load()), Clock.systemUTC());
        Notification test = Notification.test("Mail", Instant.now(), null);
        assertThatThrownBy(() -> senders.send(email("starttls", smtp.getSmtp().getPort(), pem), test, 3))
                .isInstanceOf(Sender.DeliveryException.class).hasMessageContaining("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aCertificateThatIsNotPemIsABadSetting() {
        assertThatThrownBy(() -> email("tls", 465, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settings.tlsCertificate");
    }
}
