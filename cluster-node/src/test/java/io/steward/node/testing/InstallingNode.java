package io.steward.node.testing;

import com.typesafe.config.ConfigValueFactory;
import io.steward.node.StewardNode;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;

/**
 * A node that can install agents: HTTPS with its self-signed certificate (install.sh only talks to a node over HTTPS)
 * and the agent bundle the agent module's package phase built, served from its downloads directory. {@link #api()} is
 * logged in as the admin and trusts that certificate.
 */
public final class InstallingNode implements AutoCloseable {
    /** Where {@code mvn package} of the agent module puts the bundle, install.sh and their checksums. */
    private static final Path BUILT = Path.of("../agent/target/downloads");

    private final StewardNode node;
    private final URI base;
    private final ApiClient api;

    private InstallingNode(StewardNode node, URI base, ApiClient api) {
        this.node = node;
        this.base = base;
        this.api = api;
    }

    /** The node's data (and its certificate) in {@code dataDir}; the built downloads copied to {@code downloads}. */
    public static InstallingNode start(Path dataDir, Path downloads) throws Exception {
        try (Stream<Path> files = Files.list(BUILT)) {
            for (Path file : files.toList()) {
                Files.copy(file, downloads.resolve(file.getFileName()));
            }
        }
        StewardNode node = StewardNode.start(TestNodes.h2(dataDir)
                .withValue("steward.http.bind", ConfigValueFactory.fromAnyRef("0.0.0.0"))
                .withValue("steward.downloads.dir", ConfigValueFactory.fromAnyRef(downloads.toString())));
        try {
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(dataDir.resolve("tls/self-signed-cert.pem"))) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            URI base = URI.create("https://127.0.0.1:" + node.httpPort());
            ApiClient api = new ApiClient(base, TestCertificates.trusting(certificate));
            api.loginAsAdmin();
            return new InstallingNode(node, base, api);
        } catch (Exception | AssertionError failed) {
            node.close();
            throw failed;
        }
    }

    public StewardNode node() {
        return node;
    }

    /** {@code https://127.0.0.1:PORT}. */
    public URI base() {
        return base;
    }

    public ApiClient api() {
        return api;
    }

    @Override
    public void close() {
        node.close();
    }
}
