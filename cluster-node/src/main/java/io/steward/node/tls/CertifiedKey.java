package io.steward.node.tls;

import static java.util.Objects.requireNonNull;

import io.steward.core.tls.CertificatePin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain (leaf first) and the private key of its leaf, checked to belong together: a renewal caught
 * half-way (new certificate, old key) is refused rather than served.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {

    public CertifiedKey {
        requireNonNull(key, "key is null");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
    }

    /** Reads and checks a PEM pair; the message names the file and the problem. */
    public static CertifiedKey read(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        try {
            return new CertifiedKey(chain, key);
        } catch (IllegalArgumentException e) {
            throw new IOException(keyFile + ": " + e.getMessage() + " in " + certFile);
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public CertificatePin pin() {
        return CertificatePin.of(leaf());
    }

    /**
     * The base64 SHA-256 of the leaf's public key (its SubjectPublicKeyInfo): what {@code curl --pinnedpubkey
     * sha256//...} takes, so the one-line agent install can fetch install.sh from a self-signed node safely.
     */
    public String publicKeyPin() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(leaf().getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Issued by itself (no CA vouches for it): agents must pin it. */
    public boolean selfSigned() {
        X509Certificate leaf = leaf();
        if (!leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
            return false;
        }
        try {
            leaf.verify(leaf.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519 / EdDSA sign without a separate digest
        };
        try {
            byte[] probe = "steward key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
