package io.steward.node.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster's certificate authority made by the test with Debian's {@code openssl}: RSA keys (what Pekko's
 * rotating-keys engine reads), node certificates sharing the subject name {@value #CLUSTER_NAME}, each written as the
 * directory {@code --cluster-tls-dir} expects ({@code tls.key}, {@code tls.crt}, {@code ca.crt}).
 */
public final class ClusterCertificates {
    public static final String CLUSTER_NAME = "steward-cluster";
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path directory;

    private ClusterCertificates(Path directory) {
        this.directory = directory;
    }

    /** A new CA in {@code directory}. */
    public static ClusterCertificates authority(Path directory) throws IOException {
        Files.createDirectories(directory);
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=steward-test-ca");
        return new ClusterCertificates(directory);
    }

    /** A directory for one node: its own key, a certificate this CA signed, and the CA's certificate. */
    public Path node(String name) throws IOException {
        Path node = Files.createDirectories(directory.resolve(name));
        openssl(node, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr",
                "-subj", "/CN=" + CLUSTER_NAME);
        Files.writeString(node.resolve("ext.cnf"), "subjectAltName=DNS:" + CLUSTER_NAME + "\n");
        openssl(node, "x509", "-req", "-in", "tls.csr", "-CA", directory.resolve("ca.crt").toString(),
                "-CAkey", directory.resolve("ca.key").toString(), "-CAcreateserial", "-out", "tls.crt",
                "-days", "2", "-extfile", "ext.cnf");
        Files.copy(directory.resolve("ca.crt"), node.resolve("ca.crt"));
        return node;
    }

    private static void openssl(Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(OPENSSL.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
