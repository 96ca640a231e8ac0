package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.tls.CertificatePin;
import io.steward.core.tls.LeafCertificateTrust;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which node certificates a {@code wss://} link accepts: those a public CA signed (the JDK's trust store), those a
 * private CA in a PEM file signed ({@code --ca-file}), or exactly the certificates identified by their SHA-256
 * fingerprints ({@code --pin-sha256}, for nodes' self-signed certificates). Never a downgrade to {@code ws://}: the
 * scheme is the one the user wrote.
 */
public sealed interface HubTrust permits HubTrust.PublicAuthorities, HubTrust.AuthorityFile, HubTrust.Pinned,
        HubTrust.Embedded {

    /** The TLS context a link's HTTP client uses. */
    SSLContext sslContext();

    /** The JDK's trusted CAs, with host name checks: for a node whose certificate a public CA issued. */
    record PublicAuthorities() implements HubTrust {
        @Override
        public SSLContext sslContext() {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's default TLS context is unavailable", e);
            }
        }
    }

    /** The CAs in a PEM file, with host name checks: for a node whose certificate a private CA issued. */
    record AuthorityFile(Path file) implements HubTrust {
        public AuthorityFile {
            requireNonNull(file, "file is null");
        }

        /** Reads the file's certificates; the message names the file and what is wrong with it. */
        public KeyStore authorities() throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends Certificate> certificates =
                        CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new IOException(file + " holds no PEM certificate");
                }
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int number = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + number++, certificate);
                }
                return store;
            } catch (GeneralSecurityException e) {
                throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
            }
        }

        @Override
        public SSLContext sslContext() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(authorities());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot use the CA file: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Exactly the certificates with these fingerprints (any one of them), whoever signed them and whatever names they
     * carry (the pin is a certificate's identity: a self-signed certificate names no CA, and agents often reach a
     * node by an address it does not list). A cluster of self-signed nodes is pinned with one pin per node.
     */
    record Pinned(List<CertificatePin> pins) implements HubTrust {
        public Pinned {
            requireNonNull(pins, "pins is null");
            pins = List.copyOf(new LinkedHashSet<>(pins));
            if (pins.isEmpty()) {
                throw new IllegalArgumentException("pins must not be empty");
            }
        }

        /** One node's certificate. */
        public Pinned(CertificatePin pin) {
            this(List.of(requireNonNull(pin, "pin is null")));
        }

        /** Trusting only the configured pins. */
        @Override
        public SSLContext sslContext() {
            return sslContext(new TrustedPins(pins));
        }

        /** Trusting {@code trusted}: the configured pins and those learned from the cluster since. */
        public SSLContext sslContext(TrustedPins trusted) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new LeafCertificateTrust(leaf -> {
                    if (!trusted.trusts(leaf)) {
                        throw new CertificateException("the node's certificate (SHA-256 " + CertificatePin.of(leaf)
                                + ") does not match --pin-sha256 " + text()
                                + " (nor a pin its cluster announced): not connecting");
                    }
                })}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context", e);
            }
        }

        /** The pins as the flag takes them: comma-separated. */
        public String text() {
            return pins.stream().map(CertificatePin::toString).collect(Collectors.joining(","));
        }
    }

    /**
     * A context the program embedding the agent made: the node's own local agent trusts exactly the certificate
     * the node serves at each handshake (it connects over loopback, where no name fits, and must survive a renewal).
     */
    record Embedded(SSLContext context) implements HubTrust {
        public Embedded {
            requireNonNull(context, "context is null");
        }

        @Override
        public SSLContext sslContext() {
            return context;
        }
    }
}
