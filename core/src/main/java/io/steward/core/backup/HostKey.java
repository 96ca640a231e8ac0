package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An SSH server's public host key ({@code ssh-ed25519 AAAA…}), as {@code ssh-keyscan} prints it. Its
 * {@link #fingerprint()} is what {@code ssh-keygen -lf} and ssh's own prompts show, so people compare like with like.
 */
public record HostKey(String type, String key) {
    private static final Pattern TYPE = Pattern.compile("(ssh|ecdsa|sk)-[a-z0-9@.-]{1,60}");

    public HostKey {
        requireNonNull(type, "type is null");
        requireNonNull(key, "key is null");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("not an SSH key type: " + type);
        }
        try {
            if (Base64.getDecoder().decode(key).length < 16) {
                throw new IllegalArgumentException("host key too short");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an SSH public key (base64): " + e.getMessage());
        }
    }

    /** {@code SHA256:…}: SHA-256 of the key blob, base64 without padding (OpenSSH's form). */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The line of a known_hosts file that pins this key for {@code destination} (ssh's own host:port form). */
    public String knownHostsLine(BackupDestination destination) {
        String host = destination.port() == 22 ? destination.host()
                : "[" + destination.host() + "]:" + destination.port();
        return host + " " + type + " " + key;
    }

    /** The key as {@code ssh-keyscan} prints it after the host ({@code ssh-ed25519 AAAA…}). */
    @Override
    public String toString() {
        return type + " " + key;
    }

    /** Reads {@code type key} (a comment after them is ignored). */
    public static HostKey parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not an SSH public key: expected 'type base64'");
        }
        return new HostKey(parts[0], parts[1]);
    }
}
