package io.steward.node.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificate a node reachable from other machines makes for itself when given none: made once by the JDK's own
 * {@code keytool} (part of every Java runtime, so no crypto library is bundled for this), then kept as two PEM files
 * in the data directory, so its fingerprint, which agents pin, stays the same across restarts.
 */
public final class SelfSignedCertificate {
    static final String CERT_FILE = "self-signed-cert.pem";
    static final String KEY_FILE = "self-signed-key.pem";
    /** Ten years: agents pin this exact certificate, so it must not expire under them. */
    private static final int VALIDITY_DAYS = 3650;
    private static final String PASSWORD_VARIABLE = "STEWARD_KEYTOOL_PASSWORD";

    private SelfSignedCertificate() {}

    /** The certificate file in {@code directory}. */
    public static Path certFile(Path directory) {
        return directory.resolve(CERT_FILE);
    }

    /** The key file in {@code directory} (readable by the node's user only). */
    public static Path keyFile(Path directory) {
        return directory.resolve(KEY_FILE);
    }

    /**
     * Makes the pair in {@code directory} unless it is there already.
     *
     * @param subjectAlternativeNames keytool SAN entries ({@code dns:NAME}, {@code ip:ADDRESS}) browsers may check
     * @return whether a new certificate was made
     */
    public static boolean ensure(Path directory, List<String> subjectAlternativeNames) throws IOException {
        if (Files.exists(certFile(directory)) && Files.exists(keyFile(directory))) {
            return false;
        }
        Files.createDirectories(directory);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keystore = Files.createTempFile(directory, "generating-", ".p12");
        Files.delete(keystore); // keytool refuses to write into an existing empty file
        try {
            List<String> command = new ArrayList<>(List.of(keytool().toString(), "-genkeypair",
                    "-alias", "steward", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-validity", Integer.toString(VALIDITY_DAYS), "-dname", "CN=Steward node (self-signed)",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
            if (!subjectAlternativeNames.isEmpty()) {
                command.addAll(List.of("-ext", "SAN=" + String.join(",", subjectAlternativeNames)));
            }
            run(command, password);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password.toCharArray());
            }
            PrivateKey key = (PrivateKey) store.getKey("steward", password.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate("steward");
            writePrivate(keyFile(directory), PemFiles.privateKeyPem(key));
            write(certFile(directory), PemFiles.certificatePem(certificate));
            return true;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate keytool made: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(keystore);
        }
    }

    private static Path keytool() throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make a self-signed certificate: " + keytool + " is missing; give one with "
                    + "--tls-cert and --tls-key");
        }
        return keytool;
    }

    /** The throwaway keystore's password goes through the environment, not the command line {@code ps} shows. */
    private static void run(List<String> command, String password) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed (exit " + process.exitValue() + "): " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool made the certificate", e);
        }
    }

    /** Written under a temporary name and moved, so a crash never leaves half a file. */
    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + temporary, e);
        }
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
