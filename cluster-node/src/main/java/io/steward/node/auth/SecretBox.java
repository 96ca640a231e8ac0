package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts stored secrets (notification bot tokens, SMTP passwords...) with AES-256-GCM under a key kept in a file of
 * its own, outside the database: a copied database or backup alone gives nothing away. The key file is created
 * (mode 0600) on first start. A sealed value names the key it was sealed with ({@link #keyId()}), so a node with a
 * different key says so instead of failing obscurely; each value is bound to its row ({@code context}), so
 * ciphertext moved to another row does not decrypt.
 */
public final class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    /** Prefix of a sealed value: {@code sealed1:<keyId>:<base64 of nonce + ciphertext + tag>}. */
    public static final String PREFIX = "sealed1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKeySpec key;
    private final String keyId;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = Secrets.hash(Base64.getEncoder().encodeToString(key)).substring(0, 12);
    }

    /** Reads the key file, creating it (0600, 256 random bits) if it does not exist yet. */
    public static SecretBox open(Path keyFile) throws IOException {
        requireNonNull(keyFile, "keyFile is null");
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            try {
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                // Created with its final mode: never readable by others, not even for an instant.
                Files.createFile(keyFile, posix(keyFile)
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                        : new FileAttribute<?>[0]);
                Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                log.info("Created the secret key file [{}]: back it up with the database, and give every node of a"
                        + " cluster the same one", keyFile);
            } catch (FileAlreadyExistsException e) {
                // another node in this JVM (tests) created it first: read theirs
            }
        }
        if (posix(keyFile)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(keyFile);
            if (!OWNER_ONLY.containsAll(mode)) {
                log.warn("The secret key file [{}] was readable by others ({}); restricting it to its owner (0600)",
                        keyFile, PosixFilePermissions.toString(mode));
                Files.setPosixFilePermissions(keyFile, OWNER_ONLY);
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the secret key file " + keyFile + " is not base64 text", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IOException("the secret key file " + keyFile + " must hold " + KEY_BYTES
                    + " bytes (base64), not " + key.length);
        }
        return new SecretBox(key);
    }

    /** A box with a key given directly (tests). */
    public static SecretBox of(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the key must be " + KEY_BYTES + " bytes");
        }
        return new SecretBox(key.clone());
    }

    /** Names this key without revealing it (a prefix of a hash of it). */
    public String keyId() {
        return keyId;
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The key id a sealed value names. */
    public static String keyIdOf(String sealed) {
        int end = sealed.indexOf(':', PREFIX.length());
        return end < 0 ? "" : sealed.substring(PREFIX.length(), end);
    }

    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + keyId + ":" + Base64.getEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Throws {@link GeneralSecurityException} saying why a value cannot be opened (another key, tampering). */
    public String open(String sealed, String context) throws GeneralSecurityException {
        if (!isSealed(sealed)) {
            throw new GeneralSecurityException("not a sealed value");
        }
        String id = keyIdOf(sealed);
        if (!id.equals(keyId)) {
            throw new GeneralSecurityException("sealed with key " + id + " but this node's key is " + keyId
                    + ": every node needs the same secret key file");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.substring(PREFIX.length() + id.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("corrupt sealed value");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("corrupt sealed value");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    }

    private static boolean posix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }
}
