package io.steward.core.checks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SHA-256 certificate fingerprints in the one form Steward shows and compares: upper-case hex pairs joined by colons,
 * as {@code openssl x509 -fingerprint -sha256} and {@code keytool -list} print them.
 */
public final class Fingerprint {
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{64}");

    private Fingerprint() {}

    /** The fingerprint of a DER-encoded certificate. */
    public static String of(byte[] encodedCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encodedCertificate);
            StringBuilder text = new StringBuilder(95);
            for (byte b : digest) {
                if (text.length() > 0) {
                    text.append(':');
                }
                text.append(String.format(Locale.ROOT, "%02X", b));
            }
            return text.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Accepts a fingerprint with or without colons or spaces, any case, optionally prefixed {@code SHA256:}. */
    static String normalise(String field, String fingerprint) {
        if (fingerprint == null || fingerprint.isBlank()) {
            return null;
        }
        String hex = fingerprint.strip().replaceFirst("(?i)^sha-?256[:=]?\\s*", "").replaceAll("[:\\s]", "");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(field + ": not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        StringBuilder text = new StringBuilder(95);
        for (int i = 0; i < 64; i += 2) {
            if (i > 0) {
                text.append(':');
            }
            text.append(hex.substring(i, i + 2).toUpperCase(Locale.ROOT));
        }
        return text.toString();
    }
}
