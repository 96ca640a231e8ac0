package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.core.checks.Fingerprint;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestCertificates;
import io.steward.node.testing.TestNodes;
import io.steward.node.testing.TlsTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate checks end to end: a real node, two real agents as vantages, a real TLS server on loopback serving
 * certificates the test made with keytool — one expiring in 5 days, a self-signed replacement, and two served in
 * turns (one backend still on the old one).
 */
class ChecksTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentOne;
    @TempDir
    Path agentTwo;
    @TempDir
    Path certificates;

    @Test
    void anExpiringCertificateWarnsWithItsDayCountAReplacementAlertsAndDisagreeingBackendsAreFlagged()
            throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        TestCertificates authority = TestCertificates.newAuthority(certificates);
        TestCertificates.Issued expiring = authority.issue("site", 5);
        TestCertificates.Issued longer = authority.issue("site", 60);
        TestCertificates.Issued replaced = authority.selfSigned("impostor", 60);
        try (TlsTarget target = new TlsTarget(authority.serverContext(expiring));
                StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            api.addMailChannel(smtpPort);
            try (Agent one = agent(node, api, agentOne, "vantage-1"); Agent two = agent(node, api, agentTwo,
                    "vantage-2")) {
                String first = await(WAIT, "the first agent", () -> one.status().serverId());
                String second = await(WAIT, "the second agent", () -> two.status().serverId());
                String pin = Fingerprint.of(expiring.leaf().getEncoded());
                ApiClient.Response created = api.post("/api/checks", """
                        {"name":"Shop TLS","kind":"tls","host":"127.0.0.1","port":%d,"acceptFingerprint":"%s",
                         "interval":"PT10S","retries":0,"timeout":"PT3S",
                         "vantages":{"kind":"servers","values":["%s","%s"]}}"""
                        .formatted(target.port(), pin, first, second));
                assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
                String id = created.json().get("id").asText();

                // The pinned certificate is up, 5 days from expiry: the days are counted and the warning fires.
                JsonNode up = await(WAIT, "the check up with its certificate", () -> {
                    JsonNode check = api.get("/api/checks/" + id).json();
                    return check.get("state").asText().equals("up") && check.hasNonNull("certificate")
                            ? check : null;
                });
                assertThat(up.get("certificate").get("daysLeft").asInt()).isEqualTo(5);
                assertThat(up.get("certificate").get("fingerprint").asText()).isEqualTo(pin);
                await(WAIT, "the expiry warning", () -> alerts(api).contains("default-cert-expiring\"") ? true : null);
                assertThat(alerts(api)).contains("cert.days_left{check=" + id + "}")
                        .doesNotContain("default-cert-expiring-critical");
                // Its own warning days (30/14/7/3/1 by default): 5 days left crossed 7, a notice once, with the count.
                eventually(WAIT, () -> assertThat(subjects(smtp))
                        .contains("[WARNING] Certificate expires in 5 days on Shop TLS")
                        .contains("[WARNING] Certificate expires within 14 days on Shop TLS"));

                // Backends disagree: one serves the old certificate, the other a new one of the same CA.
                target.serve(authority.serverContext(expiring), authority.serverContext(longer));
                await(WAIT, "the disagreement flagged", () -> {
                    api.post("/api/checks/" + id + "/run", "{}");
                    JsonNode check = api.get("/api/checks/" + id).json();
                    return check.get("mismatch").asBoolean() ? check : null;
                });
                await(WAIT, "the mismatch alert", () -> alerts(api).contains("default-cert-mismatch") ? true : null);

                // A replacement by someone else (a self-signed certificate): an unexpected change, alerted.
                target.serve(authority.serverContext(replaced));
                await(WAIT, "the replacement seen", () -> {
                    api.post("/api/checks/" + id + "/run", "{}");
                    return alerts(api).contains("default-cert-changed") ? true : null;
                });
                JsonNode check = api.get("/api/checks/" + id).json();
                assertThat(check.get("certificate").get("fingerprint").asText())
                        .isEqualTo(Fingerprint.of(replaced.leaf().getEncoded()));
                assertThat(check.get("state").asText()).as("not the pinned certificate, and not trusted")
                        .isEqualTo("down");
                assertThat(check.get("vantages").get(0).get("reason").asText()).isEqualTo("certificate-untrusted");
                // The newer certificate may bring its own notice (its chain ends with the test CA's 30 days): what
                // must not happen is the same notice twice, or the first certificate's again after the changes.
                List<String> notices = subjects(smtp).stream()
                        .filter(subject -> subject.contains("Certificate expires in")).toList();
                assertThat(notices).as("one notice per threshold and certificate").doesNotHaveDuplicates()
                        .filteredOn(subject -> subject.contains("in 5 days")).hasSize(1);
            }
        } finally {
            smtp.stop();
        }
    }

    private static List<String> subjects(GreenMail smtp) {
        return Arrays.stream(smtp.getReceivedMessages()).map(message -> {
            try {
                return message.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String alerts(ApiClient api) {
        return api.get("/api/alerts").raw().body();
    }

    private static Agent agent(StewardNode node, ApiClient api, Path state, String name) {
        return Agent.start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                .token(api.enrollmentToken())
                .interval(Duration.ofSeconds(1))
                .stateDirectory(state)
                .machineId("machine-" + name)
                .checks(CheckOptions.DEFAULT.withMaxStartJitter(Duration.ZERO))
                .build(), new SteerableSource(name, 1000, 10));
    }
}
