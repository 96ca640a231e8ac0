package io.steward.core.tls;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate's SHA-256 fingerprint (of its DER encoding): what a node with a self-signed certificate prints and
 * hands out, and what an agent started with {@code --pin-sha256} accepts instead of a CA's signature. Written as
 * browsers and {@code openssl x509 -fingerprint -sha256} show it ({@code AB:CD:...}); read also without colons, in
 * lower case, or as base64.
 *
 * @param hex 64 upper-case hex digits, no separators
 */
public record CertificatePin(String hex) {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    public CertificatePin {
        requireNonNull(hex, "hex is null");
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("a SHA-256 pin is 64 upper-case hex digits, got '" + hex + "'");
        }
    }

    /** The pin of {@code certificate}. */
    public static CertificatePin of(X509Certificate certificate) {
        try {
            return new CertificatePin(HEX.formatHex(sha256(certificate.getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a pin as a user may paste it: hex with or without colons or spaces (any case), or the base64 of the 32
     * bytes (optionally prefixed {@code sha256/}).
     *
     * @throws IllegalArgumentException saying what a pin looks like
     */
    public static CertificatePin parse(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        String hex = trimmed.replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
        if (hex.matches("[0-9A-F]{64}")) {
            return new CertificatePin(hex);
        }
        String base64 = trimmed.startsWith("sha256/") ? trimmed.substring("sha256/".length()) : trimmed;
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length == 32) {
                return new CertificatePin(HEX.formatHex(bytes));
            }
        } catch (IllegalArgumentException notBase64) {
            // Explained below.
        }
        throw new IllegalArgumentException("a certificate pin is the SHA-256 fingerprint as 64 hex digits "
                + "(AB:CD:... as printed by the node) or 44 base64 characters, got '" + text + "'");
    }

    /** Whether {@code certificate} is the pinned one. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(HEX.parseHex(hex), HEX.parseHex(of(certificate).hex));
    }

    /** {@code AB:CD:...}, as browsers show a certificate's fingerprint. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(95);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                text.append(':');
            }
            text.append(hex, i, i + 2);
        }
        return text.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
