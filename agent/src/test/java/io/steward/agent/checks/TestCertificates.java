package io.steward.agent.checks;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.steward.core.checks.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key stores made by the JDK's {@code keytool} (run as an argument vector): a test CA, a site certificate it signed
 * for localhost/127.0.0.1/127.0.0.2 that expires in 5 days, and two self-signed certificates (different
 * fingerprints). Made once per test class in a temporary directory.
 */
final class TestCertificates {
    static final String PASSWORD = "changeit";
    private final Path directory;
    final Path ca;
    final Path expiringSite;
    final Path selfSignedA;
    final Path selfSignedB;

    TestCertificates(Path directory) throws Exception {
        this.directory = directory;
        ca = directory.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Steward Test CA",
                "-ext", "bc:c", "-validity", "60", "-keystore", ca.toString());
        Path caCert = directory.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caCert.toString());

        expiringSite = directory.resolve("site.p12");
        keytool("-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-keystore", expiringSite.toString());
        Path request = directory.resolve("site.csr");
        keytool("-certreq", "-alias", "site", "-keystore", expiringSite.toString(), "-file", request.toString());
        Path signed = directory.resolve("site.pem");
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", request.toString(), "-outfile",
                signed.toString(), "-rfc", "-validity", "5", "-ext", "san=dns:localhost,ip:127.0.0.1,ip:127.0.0.2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", expiringSite.toString(), "-file",
                caCert.toString());
        keytool("-importcert", "-alias", "site", "-keystore", expiringSite.toString(), "-file", signed.toString());

        selfSignedA = selfSigned("a");
        selfSignedB = selfSigned("b");
    }

    private Path selfSigned(String name) throws Exception {
        Path store = directory.resolve("self-" + name + ".p12");
        keytool("-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost,O=" + name, "-ext", "san=dns:localhost,ip:127.0.0.1,ip:127.0.0.2", "-validity", "90",
                "-keystore", store.toString());
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + command + " failed: " + output);
        }
    }

    static KeyStore load(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }

    static String fingerprint(Path store) throws Exception {
        return Fingerprint.of(load(store).getCertificate("site").getEncoded());
    }

    static X509Certificate certificate(Path store, String alias) throws Exception {
        return (X509Certificate) load(store).getCertificate(alias);
    }

    /** A validator that trusts the test CA only (like a machine whose trust store has it). */
    X509ExtendedTrustManager trustingTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate caCertificate = load(ca).getCertificate("ca");
        trust.setCertificateEntry("ca", caCertificate);
        return TlsInspector.trusting(trust);
    }

    /** An HTTPS server on {@code address}, port 0 (or {@code port}), serving {@code store}'s certificate. */
    static HttpsServer https(Path store, InetAddress address, int port, HttpHandler handler) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(store), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", handler);
        server.start();
        return server;
    }

    static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
