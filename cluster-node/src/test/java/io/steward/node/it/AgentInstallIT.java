package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.tls.CertificatePin;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawExchange;
import io.steward.node.testing.TestCertificates;
import io.steward.node.testing.TestNodes;
import io.steward.node.testing.ThrowawayRoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-line agent install, end to end with real parts: a node with a self-signed certificate serves the bundle the
 * agent module built (agent/target/downloads, copied); the install command the node hands out with an enrollment
 * token is run as root (curl fetching install.sh over TLS with the public-key pin, then install.sh checking the
 * certificate pin and the bundle's checksum) in a throwaway root where install.sh uses its real paths (/opt,
 * /etc/steward, /var/lib/steward-agent) and takes its no-systemd path; the agent started from the bundle's own runtime
 * reports to the node. Then the uninstall line. A bundle that does not match its checksum, or a node that does not
 * match the pin, installs nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentInstallIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path BUILT = Path.of("../agent/target/downloads");
    private static final String BUNDLE = "steward-agent-linux-x86_64.tar.gz";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path downloads;
    @TempDir
    static Path roots;

    private StewardNode node;
    private ApiClient api;
    private X509Certificate certificate;

    @BeforeAll
    void startNode() throws Exception {
        assertThat(BUILT.resolve(BUNDLE)).as("the agent module's package phase builds the bundle (not skipped with "
                + "-Dsteward.skipBundle)").isRegularFile();
        try (Stream<Path> files = Files.list(BUILT)) {
            for (Path file : files.toList()) {
                Files.copy(file, downloads.resolve(file.getFileName()));
            }
        }
        // Bound beyond loopback without a certificate: the node makes a self-signed one, as on a real server.
        node = StewardNode.start(TestNodes.h2(dataDir)
                .withValue("steward.http.bind", ConfigValueFactory.fromAnyRef("0.0.0.0"))
                .withValue("steward.downloads.dir", ConfigValueFactory.fromAnyRef(downloads.toString())));
        try (InputStream in = Files.newInputStream(dataDir.resolve("tls/self-signed-cert.pem"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        api = new ApiClient(URI.create("https://127.0.0.1:" + node.httpPort()), TestCertificates.trusting(certificate));
        api.loginAsAdmin();
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theHandedOutLineInstallsAnAgentThatReportsAndTheUninstallLineRemovesIt() throws Exception {
        JsonNode token = api.post("/api/enrollment-tokens", "{}").json();
        String install = token.get("installCommand").asText();
        String base = "https://127.0.0.1:" + node.httpPort();
        assertThat(install).startsWith("curl -fsSL --insecure --pinnedpubkey sha256//")
                .contains(base + "/install.sh | sudo sh -s -- --url " + base + " --token " + token.get("token").asText()
                        + " --pin " + CertificatePin.of(certificate));
        try (ThrowawayRoot root = ThrowawayRoot.create(roots.resolve("install"))) {
            ThrowawayRoot.Result installed = root.run(asRoot(install), 120);
            assertThat(installed.exitCode()).as(installed.output()).isZero();
            assertThat(installed.output()).contains("the node presents the pinned certificate", "checksum",
                    "systemd is not running here", "started in the background");

            JsonNode server = await(WAIT, "the installed agent's first report", () -> {
                JsonNode servers = api.get("/api/servers").json();
                return servers.size() == 1 && !servers.get(0).path("cpuPercent").isNull()
                        && servers.get(0).path("online").asBoolean() ? servers.get(0) : null;
            });
            assertThat(server.get("agentVersion").asText()).isEqualTo(Files.readString(
                    BUILT.resolve("../bundle/steward-agent/VERSION")).strip());
            ThrowawayRoot.Result files = root.run("""
                    stat -c '%a %U %n' /etc/steward/agent.env /etc/steward/services.json /var/lib/steward-agent
                    cat /proc/$(cat /run/steward-agent.pid)/cmdline | tr '\\0' ' '
                    """, 30);
            assertThat(files.output()).contains("600 root /etc/steward/agent.env", "644 root /etc/steward/services.json",
                    "700 root /var/lib/steward-agent", "/opt/steward-agent/runtime/bin/java",
                    "-Xmx16m", "--services /etc/steward/services.json");

            ThrowawayRoot.Result removed = root.run(asRoot(token.get("uninstallCommand").asText()), 120);
            assertThat(removed.exitCode()).as(removed.output()).isZero();
            assertThat(removed.output()).contains("stopped the agent", "kept /etc/steward/services.json");
            ThrowawayRoot.Result left = root.run("ls -A /opt /etc/steward; ls -d /var/lib/steward-agent "
                    + "/etc/systemd/system/steward-agent.service 2>&1; pgrep -f '[/]opt/steward-agent/' || echo none", 30);
            assertThat(left.output()).doesNotContain("steward-agent\n", "agent.env")
                    .contains("services.json", "cannot access '/var/lib/steward-agent'",
                            "cannot access '/etc/systemd/system/steward-agent.service'", "none");
            await(WAIT, "the node to see the agent gone", () ->
                    api.get("/api/servers").json().get(0).path("online").asBoolean() ? null : true);
        }
    }

    @Test
    void aBundleThatDoesNotMatchItsChecksumIsRefusedAndNothingIsInstalled() throws Exception {
        Path bundle = downloads.resolve(BUNDLE);
        Path saved = downloads.resolve("saved.bin");
        Files.move(bundle, saved);
        try {
            byte[] bytes = Files.readAllBytes(saved);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(bundle, bytes);
            String install = api.post("/api/enrollment-tokens", "{}").json().get("installCommand").asText();
            try (ThrowawayRoot root = ThrowawayRoot.create(roots.resolve("corrupt"))) {
                ThrowawayRoot.Result refused = root.run(asRoot(install), 120);
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("FAILED while verifying the bundle's SHA-256",
                        "checksum mismatch");
                assertNothingInstalled(root);
            }
        } finally {
            Files.move(saved, bundle, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aNodeThatDoesNotPresentThePinnedCertificateIsRefused() throws Exception {
        String install = api.post("/api/enrollment-tokens", "{}").json().get("installCommand").asText();
        String wrong = "AB:".repeat(31) + "AB";
        String withWrongPin = install.replaceFirst("--pin [0-9A-F:]+", "--pin " + wrong);
        try (ThrowawayRoot root = ThrowawayRoot.create(roots.resolve("wrong-pin"))) {
            ThrowawayRoot.Result refused = root.run(asRoot(withWrongPin), 120);
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains("FAILED while checking the node's certificate",
                    "does not match --pin");
            assertNothingInstalled(root);
        }
    }

    @Test
    void theDownloadsAreServedWithoutALoginAndNothingBesideThem() throws Exception {
        SSLContext tls = TestCertificates.trusting(certificate);
        int port = node.httpPort();
        List<String> host = List.of("Host: 127.0.0.1:" + port);
        RawExchange.Response script = RawExchange.exchange(tls, port, "GET", "/install.sh", host, null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).isEqualTo(Files.readString(Path.of("../deploy/install.sh")))
                .doesNotContain("stw_enroll_");
        assertThat(RawExchange.exchange(tls, port, "GET", "/downloads/install.sh", host, null).body())
                .isEqualTo(script.body());
        RawExchange.Response checksum = RawExchange.exchange(tls, port, "GET", "/downloads/" + BUNDLE + ".sha256",
                host, null);
        assertThat(checksum.status()).isEqualTo(200);
        assertThat(checksum.body()).startsWith(sha256(downloads.resolve(BUNDLE)) + "  " + BUNDLE);
        Files.writeString(dataDir.resolve("outside.txt"), "not a download");
        for (String path : List.of("/downloads/missing.tar.gz", "/downloads/../outside.txt",
                "/downloads/..%2Foutside.txt", "/downloads/%2e%2e/outside.txt", "/downloads/", "/downloads")) {
            RawExchange.Response refused = RawExchange.exchange(tls, port, "GET", path, host, null);
            assertThat(refused.body()).as(path).doesNotContain("not a download");
            if (refused.status() == 200) {
                // A path that leaves /downloads is a dashboard route: the app shell, when the build packed the UI.
                assertThat(refused.body()).as(path).containsIgnoringCase("<!doctype html");
            } else {
                assertThat(refused.status()).as(path).isIn(400, 404);
            }
        }
    }

    @Test
    void theDebCarriesTheBundleTheUnitAndMaintainerScripts() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.list(BUILT)) {
            deb = files.filter(file -> file.getFileName().toString().endsWith("_amd64.deb")).findFirst().orElseThrow();
        }
        String info = output("dpkg-deb", "--info", deb.toString());
        assertThat(info).contains("Package: steward-agent", "Architecture: amd64", "postinst", "prerm", "postrm",
                "conffiles");
        String contents = output("dpkg-deb", "--contents", deb.toString());
        assertThat(contents).contains("root/root", "./opt/steward-agent/bin/steward-agent",
                "./opt/steward-agent/runtime/bin/java", "./opt/steward-agent/lib/steward-agent.jar",
                "./lib/systemd/system/steward-agent.service", "./etc/steward/services.json");
        assertThat(contents).as("nothing writable by others").doesNotContainPattern("(?m)^[-d].......w. ");
        Path unpacked = roots.resolve("deb");
        output("dpkg-deb", "-x", deb.toString(), unpacked.toString());
        assertThat(Files.readString(unpacked.resolve("lib/systemd/system/steward-agent.service")))
                .isEqualTo(Files.readString(Path.of("../deploy/bundle/steward-agent.service")));
        assertThat(output(unpacked.resolve("opt/steward-agent/bin/steward-agent").toString(), "--version"))
                .startsWith("steward-agent ");
        Path control = roots.resolve("deb-control");
        output("dpkg-deb", "-e", deb.toString(), control.toString());
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("[ -d /run/systemd/system ]", "systemctl daemon-reload", "install -m 0600");
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    private static void assertNothingInstalled(ThrowawayRoot root) throws IOException, InterruptedException {
        ThrowawayRoot.Result left = root.run("ls -A /opt; ls -A /etc/steward /var/lib/steward-agent 2>&1; "
                + "pgrep -f '[/]opt/steward-agent/' || echo none", 30);
        assertThat(left.output()).doesNotContain("steward-agent\n")
                .contains("cannot access '/etc/steward'", "cannot access '/var/lib/steward-agent'", "none");
    }

    /** The tests run as root, where sudo need not be installed. */
    private static String asRoot(String command) {
        assertThat(command).contains("| sudo sh -s --");
        return command.replace("| sudo sh -s --", "| sh -s --");
    }

}
