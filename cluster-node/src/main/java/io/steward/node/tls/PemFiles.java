package io.steward.node.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a certificate chain and a private key from PEM files as certbot, acme.sh, openssl and most CAs write them.
 * Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) and PKCS#1 ({@code BEGIN RSA PRIVATE KEY}); anything else is
 * refused with the openssl command that converts it.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";

    private PemFiles() {}

    /** The certificates in {@code file}, in order (leaf first, as servers send them). */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(chain);
        } catch (CertificateException e) {
            throw new IOException(file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    /** The private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, Der.wrapRsaPkcs1(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + " holds an encrypted key; the node needs"
                        + " it unencrypted (readable by the node's user only): "
                        + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
                case "EC PRIVATE KEY" -> throw new IOException(file + " holds an EC key in the SEC1 format; "
                        + CONVERT);
                default -> {
                    // Other blocks (EC PARAMETERS, a certificate in the same file) are skipped.
                }
            }
        }
        throw new IOException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** A PKCS#8 key, as PEM text (what a generated self-signed key is kept as). */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** A certificate as PEM text. */
    public static String certificatePem(X509Certificate certificate) throws GeneralSecurityException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // Try the next algorithm.
            }
        }
        throw new IOException(file + " holds a private key of a kind the node cannot use (RSA, EC and Ed25519 can)");
    }
}
