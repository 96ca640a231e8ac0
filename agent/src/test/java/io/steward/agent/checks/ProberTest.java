package io.steward.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CertificateWarnings;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.DnsRecordType;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.JsonCondition;
import io.steward.core.checks.ProbeOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of probe against real servers on loopback, with certificates the test made with keytool. */
class ProberTest {
    @TempDir
    static Path directory;
    static TestCertificates certificates;
    static HttpServer http;
    static HttpsServer expiring;
    static HttpsServer selfSignedA;
    static HttpsServer selfSignedBOnSecondAddress;
    static Prober prober;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void start() throws Exception {
        certificates = new TestCertificates(directory);
        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/ok", exchange -> TestCertificates.respond(exchange, 200, "all good here"));
        http.createContext("/fail", exchange -> TestCertificates.respond(exchange, 503, "backend down"));
        http.createContext("/json", exchange -> TestCertificates.respond(exchange, 200,
                "{\"status\":\"degraded\",\"checks\":{\"db\":\"ok\"}}"));
        http.createContext("/big", exchange -> TestCertificates.respond(exchange, 200, "x".repeat(40_000) + "END"));
        http.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            TestCertificates.respond(exchange, 302, "");
        });
        http.start();
        expiring = TestCertificates.https(certificates.expiringSite, LOOPBACK, 0,
                exchange -> TestCertificates.respond(exchange, 200, "secure and good"));
        selfSignedA = TestCertificates.https(certificates.selfSignedA, LOOPBACK, 0, exchange -> {
            exchange.getResponseHeaders().add("Location", "https://localhost:" + expiring.getAddress().getPort() + "/");
            TestCertificates.respond(exchange, 301, "");
        });
        selfSignedBOnSecondAddress = TestCertificates.https(certificates.selfSignedB,
                InetAddress.getByName("127.0.0.2"), selfSignedA.getAddress().getPort(),
                exchange -> TestCertificates.respond(exchange, 200, "old backend"));
        Resolver resolver = host -> switch (host) {
            case "shop.test" -> List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"));
            case "wrong-name.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "nowhere.test" -> throw new UnknownHostException(host);
            default -> Resolver.SYSTEM.resolve(host);
        };
        prober = new Prober(new ChecksSettings(10, 2, 16 * 1024, Duration.ZERO), "steward-test", resolver,
                certificates.trustingTestCa());
    }

    @AfterAll
    static void stop() {
        prober.close();
        http.stop(0);
        expiring.stop(0);
        selfSignedA.stop(0);
        selfSignedBOnSecondAddress.stop(0);
    }

    private static String plain(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private static CheckDefinition.Http get(String url, String keyword, JsonCondition condition, Boolean follow,
            String pinned) {
        return new CheckDefinition.Http("t", url, null, Map.of("X-Probe", "yes"), null, keyword, condition, follow,
                pinned, null, null, Duration.ofSeconds(3), null, null);
    }

    private static CheckResult probe(CheckDefinition definition) {
        return prober.probe(new AssignedCheck("c1", definition));
    }

    private static CheckDefinition.Tls tls(String host, int port, String pinned) {
        return new CheckDefinition.Tls("t", host, port, null, pinned, null, null, Duration.ofSeconds(3), null, null);
    }

    @Test
    void aHealthySiteIsUpWithEachPhaseTimed() {
        CheckResult result = probe(get(plain("/ok"), "good", null, null, null));
        assertThat(result.outcome()).isEqualTo(ProbeOutcome.UP);
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.resolvedAddress()).isEqualTo("127.0.0.1");
        assertThat(result.timings().dnsMillis()).isNotNull();
        assertThat(result.timings().connectMillis()).isNotNull();
        assertThat(result.timings().tlsMillis()).isNull();
        assertThat(result.timings().firstByteMillis()).isNotNull();
        assertThat(result.timings().totalMillis()).isGreaterThanOrEqualTo(result.timings().firstByteMillis());
        assertThat(result.bodyExcerpt()).isNull();
    }

    @Test
    void aWrongStatusFailsAsStatusWithTheBodysStart() {
        CheckResult result = probe(get(plain("/fail"), null, null, null, null));
        assertThat(result.reason()).isEqualTo(FailureReason.STATUS);
        assertThat(result.statusCode()).isEqualTo(503);
        assertThat(result.message()).contains("status 503, expected 2xx");
        assertThat(result.bodyExcerpt()).isEqualTo("backend down");
    }

    @Test
    void aMissingKeywordFailsAsKeyword() {
        CheckResult result = probe(get(plain("/ok"), "welcome", null, null, null));
        assertThat(result.reason()).isEqualTo(FailureReason.KEYWORD);
        assertThat(result.bodyExcerpt()).isEqualTo("all good here");
    }

    @Test
    void aJsonConditionComparesTheValueAtItsPath() {
        assertThat(probe(get(plain("/json"), null, new JsonCondition("checks.db", "ok"), null, null)).up()).isTrue();
        CheckResult result = probe(get(plain("/json"), null, new JsonCondition("$.status", "ok"), null, null));
        assertThat(result.reason()).isEqualTo(FailureReason.JSON_CONDITION);
        assertThat(result.message()).contains("'degraded', expected 'ok'");
        assertThat(probe(get(plain("/ok"), null, new JsonCondition("status", "ok"), null, null)).reason())
                .isEqualTo(FailureReason.JSON_CONDITION);
    }

    @Test
    void aBodyIsReadOnlyUpToTheCapAndTheExcerptStaysWithin4KiB() {
        CheckResult result = probe(get(plain("/big"), "END", null, null, null));
        assertThat(result.reason()).isEqualTo(FailureReason.KEYWORD);
        assertThat(result.message()).contains("first 16384 bytes");
        assertThat(result.bodyExcerpt().getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    }

    @Test
    void redirectsAreFollowedOrNotAsAsked() {
        CheckResult followed = probe(get(plain("/moved"), "good", null, null, null));
        assertThat(followed.up()).isTrue();
        CheckResult notFollowed = probe(get(plain("/moved"), null, null, false, null));
        assertThat(notFollowed.reason()).isEqualTo(FailureReason.STATUS);
        assertThat(notFollowed.statusCode()).isEqualTo(302);
    }

    @Test
    void everyRedirectHopsCertificateIsRecorded() throws Exception {
        String first = "https://localhost:" + selfSignedA.getAddress().getPort() + "/hop";
        String pinnedA = TestCertificates.fingerprint(certificates.selfSignedA);
        CheckResult result = probe(get(first, "secure", null, null, pinnedA));
        assertThat(result.outcome()).as(result.message()).isEqualTo(ProbeOutcome.UP);
        assertThat(result.certificates()).extracting(CertificateInfo::endpoint)
                .containsExactly(first, "https://localhost:" + expiring.getAddress().getPort() + "/");
        assertThat(result.certificates()).extracting(CertificateInfo::fingerprint)
                .containsExactly(pinnedA, TestCertificates.fingerprint(certificates.expiringSite));
        assertThat(result.timings().tlsMillis()).isNotNull();
        // The 5-day certificate of the second hop is the one that counts for expiry.
        assertThat(CertificateWarnings.daysLeft(result.certificates(), Instant.now())).hasValue(5);
        // Unpinned, the first hop's self-signed certificate stops the attempt, its dates still reported.
        CheckResult unpinned = probe(get(first, "secure", null, null, null));
        assertThat(unpinned.reason()).isEqualTo(FailureReason.CERTIFICATE_UNTRUSTED);
        assertThat(unpinned.certificates()).hasSize(1);
    }

    @Test
    void aTlsCheckReportsTheExpiringCertificatesDaysAndChain() throws Exception {
        CheckResult result = probe(tls("localhost", expiring.getAddress().getPort(), null));
        assertThat(result.outcome()).as(result.message()).isEqualTo(ProbeOutcome.UP);
        CertificateInfo certificate = result.certificates().get(0);
        assertThat(certificate.trusted()).isTrue();
        assertThat(certificate.issuer()).isEqualTo("CN=Steward Test CA");
        assertThat(certificate.daysLeftAt(Instant.now())).isEqualTo(5);
        assertThat(certificate.chainNotAfter()).isEqualTo(certificate.notAfter()); // the CA lives 60 days
        assertThat(certificate.fingerprint()).isEqualTo(TestCertificates.fingerprint(certificates.expiringSite));
        assertThat(CertificateWarnings.thresholdReached(List.of(30, 14, 7, 3, 1),
                certificate.daysLeftAt(Instant.now()))).hasValue(7);
    }

    @Test
    void anUntrustedChainIsItsOwnReasonAndStillReportsItsDates() throws Exception {
        CheckResult result = probe(tls("localhost", selfSignedA.getAddress().getPort(), null));
        assertThat(result.reason()).isEqualTo(FailureReason.CERTIFICATE_UNTRUSTED);
        CertificateInfo certificate = result.certificates().get(0);
        assertThat(certificate.trusted()).isFalse();
        assertThat(certificate.daysLeftAt(Instant.now())).isEqualTo(90);
        assertThat(certificate.fingerprint()).isEqualTo(TestCertificates.fingerprint(certificates.selfSignedA));
        // Pinned, the same certificate is accepted; another pin is not.
        String pinnedA = TestCertificates.fingerprint(certificates.selfSignedA);
        assertThat(probe(tls("localhost", selfSignedA.getAddress().getPort(), pinnedA)).up()).isTrue();
        CheckResult wrongPin = probe(tls("localhost", selfSignedA.getAddress().getPort(),
                TestCertificates.fingerprint(certificates.selfSignedB)));
        assertThat(wrongPin.reason()).isEqualTo(FailureReason.CERTIFICATE_UNTRUSTED);
        assertThat(wrongPin.message()).contains("not the pinned one");
    }

    @Test
    void aTrustedCertificateForAnotherNameIsInvalid() {
        CheckResult result = probe(tls("wrong-name.test", expiring.getAddress().getPort(), null));
        assertThat(result.reason()).isEqualTo(FailureReason.CERTIFICATE_INVALID);
        assertThat(result.certificates()).hasSize(1);
    }

    @Test
    void twoBackendsServingDifferentCertificatesAreBothReported() throws Exception {
        String pinnedA = TestCertificates.fingerprint(certificates.selfSignedA);
        CheckResult result = probe(tls("shop.test", selfSignedA.getAddress().getPort(), pinnedA));
        assertThat(result.reason()).isEqualTo(FailureReason.CERTIFICATE_UNTRUSTED);
        assertThat(result.resolvedAddress()).isEqualTo("127.0.0.2");
        assertThat(result.certificates()).extracting(CertificateInfo::address).containsExactly("127.0.0.1", "127.0.0.2");
        var disagreements = CertificateWarnings.disagreements(CertificateWarnings.observations("vantage", result));
        assertThat(disagreements.get("shop.test:" + selfSignedA.getAddress().getPort()))
                .extracting(CertificateWarnings.Served::fingerprint)
                .containsExactly(pinnedA, TestCertificates.fingerprint(certificates.selfSignedB));
    }

    @Test
    void somethingThatIsNotTlsFailsTheHandshake() throws Exception {
        // An SSH server's greeting where a TLS ServerHello should be.
        try (ServerSocket ssh = new ServerSocket(0, 5, LOOPBACK)) {
            Thread greeter = new Thread(() -> {
                try (var connection = ssh.accept()) {
                    connection.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                    connection.getInputStream().read(new byte[4096]);
                } catch (java.io.IOException ignored) {
                    // The prober hung up.
                }
            });
            greeter.start();
            CheckResult result = probe(tls("127.0.0.1", ssh.getLocalPort(), null));
            assertThat(result.reason()).as(result.message()).isEqualTo(FailureReason.TLS_HANDSHAKE);
            assertThat(result.certificates()).isEmpty();
            greeter.join(5_000);
        }
        // A server that never answers the ClientHello times out in the handshake. Its own socket, which reads and
        // never writes: an HTTP server there answers (or hangs up) whenever the hello's random bytes hold a CRLF.
        try (ServerSocket mute = new ServerSocket(0, 5, LOOPBACK)) {
            Thread listener = new Thread(() -> {
                try (var connection = mute.accept()) {
                    connection.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // The prober hung up, or the test closed the listening socket.
                }
            });
            listener.start();
            CheckResult silent = probe(new CheckDefinition.Tls("t", "127.0.0.1", mute.getLocalPort(), null, null,
                    null, null, Duration.ofMillis(600), null, null));
            assertThat(silent.reason()).as(silent.message()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(silent.message()).contains("TLS handshake");
            listener.join(5_000);
        }
    }

    @Test
    void aClosedPortIsRefusedAndAnOpenOneIsUp() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            closed = socket.getLocalPort();
        }
        CheckDefinition.Tcp refused = new CheckDefinition.Tcp("t", "127.0.0.1", closed, null, null, null, null);
        assertThat(probe(refused).reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
        assertThat(probe(get("http://127.0.0.1:" + closed + "/", null, null, null, null)).reason())
                .isEqualTo(FailureReason.CONNECT_REFUSED);
        CheckDefinition.Tcp open = new CheckDefinition.Tcp("t", "127.0.0.1", http.getAddress().getPort(), null, null,
                null, null);
        CheckResult up = probe(open);
        assertThat(up.up()).isTrue();
        assertThat(up.timings().connectMillis()).isNotNull();
    }

    @Test
    void aServerThatAcceptsButNeverAnswersTimesOutWaitingForTheFirstByte() throws Exception {
        // Never accept()ed: the kernel completes the handshake from the backlog, and nothing is ever sent.
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            CheckDefinition.Http check = new CheckDefinition.Http("t", "http://127.0.0.1:" + silent.getLocalPort(),
                    null, null, null, null, null, null, null, null, null, Duration.ofMillis(700), null, null);
            long start = System.nanoTime();
            CheckResult result = probe(check);
            assertThat(result.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(result.message()).contains("700 ms");
            assertThat(result.timings().connectMillis()).isNotNull();
            assertThat(result.timings().firstByteMillis()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void dnsResolvesLocalhostAndChecksTheExpectedAnswer() {
        CheckResult localhost = probe(new CheckDefinition.Dns("t", "localhost", DnsRecordType.A, "127.0.0.1", null,
                null, null, null));
        assertThat(localhost.outcome()).as(localhost.message()).isEqualTo(ProbeOutcome.UP);
        assertThat(localhost.answers()).contains("127.0.0.1");
        assertThat(localhost.timings().dnsMillis()).isNotNull();
        CheckResult wrong = probe(new CheckDefinition.Dns("t", "localhost", DnsRecordType.A, "10.0.0.1", null, null,
                null, null));
        assertThat(wrong.reason()).isEqualTo(FailureReason.DNS_ANSWER);
        assertThat(wrong.answers()).contains("127.0.0.1");
        CheckResult unknown = probe(new CheckDefinition.Dns("t", "nowhere.test", null, null, null, null, null, null));
        assertThat(unknown.reason()).isEqualTo(FailureReason.DNS);
        assertThat(probe(get("http://nowhere.test/", null, null, null, null)).reason()).isEqualTo(FailureReason.DNS);
    }
}
