package io.steward.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private CA and node certificates it issues, made by the JDK's keytool (run as a program, as an operator would),
 * written as the PEM files a node is given ({@code --tls-cert}, {@code --tls-key}) and an agent trusts
 * ({@code --ca-file}).
 */
public final class TestCertificates {
    private static final String PASSWORD = "changeit";

    private final Path directory;
    private int issued;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** A new CA in {@code directory}; its certificate is {@link #caFile()}. */
    public static TestCertificates newAuthority(Path directory) throws Exception {
        TestCertificates certificates = new TestCertificates(directory);
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Steward Test CA", "-ext", "bc:c", "-validity", "30", "-keystore", certificates.store());
        certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certificates.store(), "-file",
                certificates.caFile().toString());
        return certificates;
    }

    public Path caFile() {
        return directory.resolve("ca.pem");
    }

    /** The PEM pair of a node certificate. */
    public record Issued(Path certFile, Path keyFile, X509Certificate leaf) {}

    /** A new key and a certificate for 127.0.0.1 and localhost issued by the CA: chain file (leaf, CA) and key. */
    public Issued issue(String name) throws Exception {
        return issue(name, 30);
    }

    /** As {@link #issue(String)}, valid for {@code days} days from now. */
    public Issued issue(String name, int days) throws Exception {
        String alias = "node-" + ++issued;
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", String.valueOf(days), "-keystore", store());
        Path request = directory.resolve(alias + ".csr");
        Path leaf = directory.resolve(alias + ".crt");
        keytool("-certreq", "-alias", alias, "-keystore", store(), "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", store(), "-infile", request.toString(), "-outfile",
                leaf.toString(), "-rfc", "-validity", String.valueOf(days), "-ext", "SAN=ip:127.0.0.1,dns:localhost");
        return pem(alias, Files.readString(leaf) + Files.readString(caFile()), leaf);
    }

    /** A self-signed certificate for 127.0.0.1 (its issuer is itself, not the CA). */
    public Issued selfSigned(String name, int days) throws Exception {
        String alias = "self-" + ++issued;
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", String.valueOf(days), "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", store());
        Path leaf = directory.resolve(alias + ".crt");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store(), "-file", leaf.toString());
        return pem(alias, Files.readString(leaf), leaf);
    }

    /** A TLS server context presenting {@code issued} (its key and chain). */
    public SSLContext serverContext(Issued issued) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        String pem = Files.readString(issued.keyFile()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        java.util.List<java.security.cert.Certificate> chain = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(issued.certFile())) {
            chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        keys.setKeyEntry("server", key, PASSWORD.toCharArray(), chain.toArray(new java.security.cert.Certificate[0]));
        javax.net.ssl.KeyManagerFactory factory =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private Issued pem(String alias, String chain, Path leaf) throws Exception {
        Path certFile = directory.resolve(alias + "-chain.pem");
        Files.writeString(certFile, chain);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(store()))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey(alias, PASSWORD.toCharArray());
        Path keyFile = directory.resolve(alias + "-key.pem");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(leaf)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return new Issued(certFile, keyFile, certificate);
    }

    /** A client TLS context trusting this CA only. */
    public SSLContext clientContext() throws Exception {
        try (InputStream in = Files.newInputStream(caFile())) {
            return trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    /** A client TLS context trusting this one certificate only (a node's self-signed one, a CA). */
    public static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("trusted", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private String store() {
        return directory.resolve("ca.p12").toString();
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (!arguments[0].equals("-exportcert")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
