package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.config.SettingsParser;
import io.steward.agent.link.HubTrust;
import io.steward.core.testing.FreePort;
import io.steward.core.tls.CertificatePin;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.RawExchange;
import io.steward.node.testing.TestCertificates;
import io.steward.node.testing.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's own HTTPS, black-box: a node given a CA-issued certificate (renewed under it while it runs), a node bound
 * beyond loopback that made its own self-signed certificate, real agents trusting the CA or pinning the certificate
 * (and refusing one that does not match), the redirect-only plain-HTTP port, the security headers with the built
 * dashboard under its policy, and forged Host headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path certificates;
    @TempDir
    static Path givenDir;
    @TempDir
    static Path selfSignedDir;
    @TempDir
    static Path agentDirs;

    private TestCertificates authority;
    private TestCertificates.Issued issued;
    private Path certFile;
    private Path keyFile;
    private int givenPort;
    private int redirectPort;
    private StewardNode given;
    private StewardNode selfSigned;
    private ApiClient givenApi;
    private final List<Agent> agents = new ArrayList<>();

    @BeforeAll
    void startNodes() throws Exception {
        authority = TestCertificates.newAuthority(certificates);
        issued = authority.issue("steward-node-1");
        // The node reads the files at fixed paths, as certbot's live/ links are.
        certFile = certificates.resolve("fullchain.pem");
        keyFile = certificates.resolve("privkey.pem");
        Files.copy(issued.certFile(), certFile);
        Files.copy(issued.keyFile(), keyFile);
        givenPort = FreePort.find();
        redirectPort = FreePort.find();
        given = StewardNode.start(TestNodes.h2(givenDir)
                .withValue("steward.http.port", ConfigValueFactory.fromAnyRef(givenPort))
                .withValue("steward.http.tls.cert-file", ConfigValueFactory.fromAnyRef(certFile.toString()))
                .withValue("steward.http.tls.key-file", ConfigValueFactory.fromAnyRef(keyFile.toString()))
                .withValue("steward.http.tls.reload-check", ConfigValueFactory.fromAnyRef("200ms"))
                .withValue("steward.http.redirect-port", ConfigValueFactory.fromAnyRef(redirectPort))
                .withValue("steward.http.public-url",
                        ConfigValueFactory.fromAnyRef("https://127.0.0.1:" + givenPort)));
        givenApi = new ApiClient(URI.create("https://127.0.0.1:" + givenPort), authority.clientContext());
        givenApi.loginAsAdmin();
        selfSigned = startSelfSigned();
    }

    /** Bound to every interface, no certificate given: the secure default for a node others reach. */
    private StewardNode startSelfSigned() throws Exception {
        Config config = TestNodes.h2(selfSignedDir)
                .withValue("steward.http.bind", ConfigValueFactory.fromAnyRef("0.0.0.0"));
        return StewardNode.start(config);
    }

    @AfterAll
    void stop() {
        agents.forEach(Agent::close);
        if (given != null) {
            given.close();
        }
        if (selfSigned != null) {
            selfSigned.close();
        }
    }

    @Test
    void servesHttpsWithTheGivenCertificateAndAnAgentTrustingItsCaReports() throws Exception {
        assertThat(presentedCertificate(givenPort)).isEqualTo(issued.leaf());
        assertThat(givenApi.get("/api/servers").status()).isEqualTo(200);

        Agent agent = start(AgentSettings.builder()
                .hub(URI.create("wss://127.0.0.1:" + givenPort + "/ws/agent"))
                .trust(new HubTrust.AuthorityFile(authority.caFile()))
                .token(givenApi.enrollmentToken()), "ca-trusting");
        await(WAIT, "a report stored over wss://", () -> agent.status().lastAckedSequence() > 0 ? true : null);
        // The same agent without the private CA: the JDK's public CAs do not know it.
        Agent untrusting = start(AgentSettings.builder()
                .hub(URI.create("wss://127.0.0.1:" + givenPort + "/ws/agent"))
                .token(givenApi.enrollmentToken()), "public-cas-only");
        String error = await(WAIT, "the handshake to fail", () -> untrusting.status().lastError());
        assertThat(error).containsIgnoringCase("certif");
        assertThat(untrusting.status().serverId()).isNull();
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        TestCertificates.Issued renewed = authority.issue("steward-node-1-renewed");
        // A renewal replaces the key, then the certificate; the node keeps the old pair until both match.
        Files.copy(renewed.keyFile(), keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certFile(), certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        eventually(WAIT, () -> assertThat(presentedCertificate(givenPort)).isEqualTo(renewed.leaf()));
        assertThat(givenApi.get("/api/servers").status()).isEqualTo(200);
        issued = renewed;
    }

    @Test
    void bindingBeyondLoopbackMakesASelfSignedCertificateOnceAndHandsOutItsPin() throws Exception {
        Path tls = selfSignedDir.resolve("tls");
        X509Certificate made = readCertificate(tls.resolve("self-signed-cert.pem"));
        assertThat(made.getSubjectX500Principal()).isEqualTo(made.getIssuerX500Principal());
        assertThat(Files.getPosixFilePermissions(tls.resolve("self-signed-key.pem")))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(presentedCertificate(selfSigned.httpPort())).isEqualTo(made);
        CertificatePin pin = CertificatePin.of(made);

        ApiClient api = selfSignedApi(made);
        api.loginAsAdmin();
        JsonNode token = api.post("/api/enrollment-tokens", "{}").json();
        String hub = "wss://127.0.0.1:" + selfSigned.httpPort() + "/ws/agent";
        assertThat(token.get("hub").asText()).isEqualTo(hub);
        assertThat(token.get("pinSha256").asText()).isEqualTo(pin.toString());
        assertThat(token.get("command").asText()).contains("--hub " + hub + " --pin-sha256 " + pin + " --token ");
        assertThat(token.get("systemdUnit").asText()).contains("--hub " + hub + " --pin-sha256 " + pin + " ");

        // The command as handed out, run as an agent (with a state directory and a steady source of its own).
        String command = token.get("command").asText();
        List<String> arguments = new ArrayList<>(Arrays.asList(
                command.substring(command.indexOf("steward-agent.jar") + "steward-agent.jar".length()).strip()
                        .split(" ")));
        arguments.addAll(List.of("--state-dir", agentDirs.resolve("pinning").toString()));
        AgentSettings settings = ((SettingsParser.Run) SettingsParser.parse(arguments, Map.of())).settings();
        assertThat(settings.trust()).isEqualTo(new HubTrust.Pinned(pin));
        Agent agent = start(settings.toBuilder(), "pinning");
        await(WAIT, "a report stored by the pinning agent", () ->
                agent.status().lastAckedSequence() > 0 ? true : null);

        // Kept: a restart serves the same certificate, so the pins agents hold stay valid.
        selfSigned.close();
        selfSigned = null;
        selfSigned = startSelfSigned();
        assertThat(selfSigned.tls().orElseThrow().generated()).isFalse();
        assertThat(presentedCertificate(selfSigned.httpPort())).isEqualTo(made);
    }

    @Test
    void anAgentRefusesANodeWhoseCertificateDoesNotMatchItsPin() throws Exception {
        X509Certificate made = readCertificate(selfSignedDir.resolve("tls").resolve("self-signed-cert.pem"));
        ApiClient api = selfSignedApi(made);
        api.loginAsAdmin();
        CertificatePin wrong = CertificatePin.of(issued.leaf());
        Agent agent = start(AgentSettings.builder()
                .hub(URI.create("wss://127.0.0.1:" + selfSigned.httpPort() + "/ws/agent"))
                .trust(new HubTrust.Pinned(wrong))
                .token(api.enrollmentToken()), "wrong-pin");
        String error = await(WAIT, "the pin to be refused", () -> agent.status().lastError());
        assertThat(error).contains("does not match --pin-sha256 " + wrong).contains(CertificatePin.of(made).toString());
        assertThat(agent.status().serverId()).isNull();
        assertThat(agent.status().reportsSent()).isZero();
        for (JsonNode server : api.get("/api/servers").json()) {
            assertThat(server.get("hostname").asText()).isNotEqualTo("wrong-pin");
        }
    }

    @Test
    void plainHttpOnTheRedirectPortOnlyRedirects() throws Exception {
        String host = "Host: 127.0.0.1:" + redirectPort;
        RawExchange.Response page = RawExchange.exchange(null, redirectPort, "GET", "/servers/web-1?range=1h",
                List.of(host), null);
        assertThat(page.status()).isEqualTo(308);
        assertThat(page.header("Location")).contains("https://127.0.0.1:" + givenPort + "/servers/web-1?range=1h");

        RawExchange.Response login = RawExchange.exchange(null, redirectPort, "POST", "/api/auth/login", List.of(host),
                "{\"username\":\"admin\",\"password\":\"" + TestNodes.ADMIN_PASSWORD + "\"}");
        assertThat(login.status()).as("no API in clear text").isEqualTo(308);
        assertThat(login.header("Set-Cookie")).isEmpty();
        assertThat(login.header("Location")).contains("https://127.0.0.1:" + givenPort + "/api/auth/login");

        RawExchange.Response forged = RawExchange.exchange(null, redirectPort, "GET", "/", List.of("Host: evil.example"),
                null);
        assertThat(forged.header("Location")).as("the public URL, not the forged host")
                .contains("https://127.0.0.1:" + givenPort + "/");

        // An agent given the plain address is not redirected anywhere: it reports the refusal and keeps trying.
        Agent agent = start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + redirectPort + "/ws/agent"))
                .token(givenApi.enrollmentToken()), "plain-agent");
        assertThat(await(WAIT, "the plain handshake to fail", () -> agent.status().lastError()))
                .contains("HTTP 308 (a redirect, not followed");
        assertThat(agent.status().serverId()).isNull();

        // Nor does the HTTPS port answer plain HTTP.
        assertThatThrownBy(() -> RawExchange.exchange(null, givenPort, "GET", "/healthz",
                List.of("Host: 127.0.0.1:" + givenPort), null)).isInstanceOf(IOException.class);
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/servers/web-1", "/api/servers", "/api/nothing", "/healthz")) {
            ApiClient.Response response = givenApi.get(path);
            Map<String, List<String>> headers = response.raw().headers().map();
            assertThat(headers.get("content-security-policy")).as(path).singleElement().satisfies(csp -> assertThat(
                    csp).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                    "default-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(headers.get("x-content-type-options")).as(path).containsExactly("nosniff");
            assertThat(headers.get("referrer-policy")).as(path).containsExactly("same-origin");
            assertThat(headers.get("strict-transport-security")).as(path).containsExactly("max-age=31536000");
        }
        ApiClient anonymous = new ApiClient(URI.create("https://127.0.0.1:" + givenPort), authority.clientContext());
        assertThat(anonymous.get("/api/servers").raw().headers().firstValue("content-security-policy")).isPresent();
    }

    @Test
    void theBuiltDashboardRunsUnderThePolicyWithoutInlineScript() throws Exception {
        String index = givenApi.get("/").raw().body();
        assertThat(index).contains("<div id=\"root\">");
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(index);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(2).strip()).as("an inline script: " + scripts.group()).isEmpty();
            Matcher source = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
            assertThat(source.find()).as("a script without src: " + scripts.group()).isTrue();
            assertThat(source.group(1)).as("scripts come from the node (script-src 'self')").startsWith("/");
            ApiClient.Response script = givenApi.get(source.group(1));
            assertThat(script.status()).as(source.group(1)).isEqualTo(200);
            assertThat(script.raw().headers().firstValue("content-type").orElse("")).contains("javascript");
        }
        assertThat(count).as("the theme script, the early requests' script and the app").isGreaterThanOrEqualTo(3);
        assertThat(index).doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)\\sstyle\\s*=");
        Matcher styles = Pattern.compile("<link[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]+)\"").matcher(index);
        while (styles.find()) {
            assertThat(styles.group(1)).startsWith("/");
        }
    }

    @Test
    void theSessionCookieIsSecureOverHttps() throws Exception {
        ApiClient api = new ApiClient(URI.create("https://127.0.0.1:" + givenPort), authority.clientContext());
        ApiClient.Response login = api.loginAsAdmin();
        assertThat(login.raw().headers().firstValue("set-cookie").orElseThrow())
                .contains("steward_session=").contains("Secure").contains("HttpOnly");
    }

    @Test
    void aForgedHostIsRefusedInTheOriginCheck() throws Exception {
        SSLContext tls = authority.clientContext();
        String login = "{\"username\":\"admin\",\"password\":\"" + TestNodes.ADMIN_PASSWORD + "\"}";
        // After DNS rebinding a hostile page's Origin and Host agree, naming the attacker's domain.
        RawExchange.Response forged = RawExchange.exchange(tls, givenPort, "POST", "/api/auth/login",
                List.of("Host: evil.example:" + givenPort, "Origin: https://evil.example:" + givenPort), login);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("is not an address of this node").contains("public-url");
        assertThat(forged.header("Set-Cookie")).isEmpty();

        RawExchange.Response own = RawExchange.exchange(tls, givenPort, "POST", "/api/auth/login",
                List.of("Host: 127.0.0.1:" + givenPort, "Origin: https://127.0.0.1:" + givenPort), login);
        assertThat(own.status()).as("the same request under the node's own name").isEqualTo(200);
        String cookie = own.header("Set-Cookie").orElseThrow().split(";")[0];

        RawExchange.Response socket = RawExchange.exchange(tls, givenPort, "GET", "/ws/ui", List.of(
                "Host: evil.example:" + givenPort, "Origin: https://evil.example:" + givenPort, "Cookie: " + cookie,
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), null);
        assertThat(socket.status()).as("the live socket's Origin check").isEqualTo(403);
    }

    @Test
    void aForgedHostIsNotEchoedIntoTheEnrollmentCommand() throws Exception {
        // The self-signed node has no public URL: the command is built from the Host, which must name the node.
        X509Certificate made = readCertificate(selfSignedDir.resolve("tls").resolve("self-signed-cert.pem"));
        ApiClient api = selfSignedApi(made);
        String cookie = api.loginAsAdmin().raw().headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        SSLContext tls = TestCertificates.trusting(made);
        int port = selfSigned.httpPort();
        RawExchange.Response forged = RawExchange.exchange(tls, port, "POST", "/api/enrollment-tokens",
                List.of("Host: evil.example:" + port, "Cookie: " + cookie), "{}");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).doesNotContain("stw_enroll_").contains("'evil.example:" + port + "'");
        RawExchange.Response own = RawExchange.exchange(tls, port, "POST", "/api/enrollment-tokens",
                List.of("Host: 127.0.0.1:" + port, "Cookie: " + cookie), "{}");
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.body()).contains("wss://127.0.0.1:" + port + "/ws/agent");

        // With a public URL the command names it, whatever Host the request carried.
        String givenCookie = RawExchange.exchange(authority.clientContext(), givenPort, "POST", "/api/auth/login",
                List.of("Host: 127.0.0.1:" + givenPort), "{\"username\":\"admin\",\"password\":\""
                        + TestNodes.ADMIN_PASSWORD + "\"}").header("Set-Cookie").orElseThrow().split(";")[0];
        RawExchange.Response viaPublicUrl = RawExchange.exchange(authority.clientContext(), givenPort, "POST",
                "/api/enrollment-tokens", List.of("Host: evil.example", "Cookie: " + givenCookie), "{}");
        assertThat(viaPublicUrl.status()).isEqualTo(201);
        assertThat(viaPublicUrl.body()).contains("--hub wss://127.0.0.1:" + givenPort + "/ws/agent --token")
                .doesNotContain("evil.example");
    }

    private Agent start(AgentSettings.Builder settings, String hostname) {
        Agent agent = Agent.start(settings
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentDirs.resolve(hostname))
                .hostname(hostname)
                .machineId("machine-" + hostname)
                .reconnectBackoff(new io.steward.core.retry.Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 2))
                .build(), new CountingSource(hostname, 1000));
        agents.add(agent);
        return agent;
    }

    private ApiClient selfSignedApi(X509Certificate certificate) throws Exception {
        return new ApiClient(URI.create("https://127.0.0.1:" + selfSigned.httpPort()),
                TestCertificates.trusting(certificate));
    }

    /** The certificate a TLS handshake with the node on {@code port} presents (whatever signed it). */
    private static X509Certificate presentedCertificate(int port) throws Exception {
        SSLContext context = sslUnchecked();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }


    /** Accepts any certificate: only for looking at what a node presents. */
    private static SSLContext sslUnchecked() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType,
                        javax.net.ssl.SSLEngine engine) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType,
                        javax.net.ssl.SSLEngine engine) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate readCertificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
