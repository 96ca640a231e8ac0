package io.steward.node.tls;

import io.steward.core.tls.CertificatePin;
import io.steward.core.tls.LeafCertificateTrust;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTPS: the TLS context its port serves with (the certificate re-read when its files change), and what
 * agents need to know about that certificate (a self-signed one must be pinned).
 */
public final class NodeTls {
    private static final Logger log = LoggerFactory.getLogger(NodeTls.class);

    private final ReloadingKeyManager keys;
    private final SSLContext serverContext;
    private final boolean generated;

    private NodeTls(ReloadingKeyManager keys, boolean generated) throws GeneralSecurityException {
        this.keys = keys;
        this.generated = generated;
        this.serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new KeyManager[] {keys}, null, null);
    }

    /**
     * Loads the given PEM files, or makes (once) and loads the self-signed pair.
     *
     * @param plan {@link TlsSettings.GivenCertificate} or {@link TlsSettings.SelfSigned}
     * @param bind the bind address, and {@code publicUrl} (may be blank): names a self-signed certificate lists
     * @throws IOException naming the file and what is wrong with it
     */
    public static NodeTls start(TlsSettings settings, TlsSettings.Plan plan, String bind, String publicUrl)
            throws IOException {
        Path certFile;
        Path keyFile;
        boolean generated = false;
        if (plan instanceof TlsSettings.GivenCertificate given) {
            certFile = given.certFile();
            keyFile = given.keyFile();
        } else if (plan instanceof TlsSettings.SelfSigned selfSigned) {
            certFile = SelfSignedCertificate.certFile(selfSigned.directory());
            keyFile = SelfSignedCertificate.keyFile(selfSigned.directory());
            generated = SelfSignedCertificate.ensure(selfSigned.directory(), alternativeNames(bind, publicUrl));
        } else {
            throw new IllegalArgumentException("plain HTTP needs no TLS");
        }
        ReloadingKeyManager keys = new ReloadingKeyManager(certFile, keyFile, settings.reloadCheck(),
                System::nanoTime);
        if (generated) {
            log.info("Made a self-signed TLS certificate in [{}], SHA-256 [{}]", certFile.getParent(),
                    keys.current().pin());
        }
        try {
            return new NodeTls(keys, generated);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the TLS context: " + e.getMessage(), e);
        }
    }

    /** What the HTTPS port serves with. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The certificate served now (after any reload). */
    public CertifiedKey current() {
        keys.reloadIfChanged();
        return keys.current();
    }

    /** Whether this start made the self-signed certificate (it was not there before). */
    public boolean generated() {
        return generated;
    }

    /** The pin agents need, when no CA vouches for the certificate served now; empty for a CA-issued one. */
    public Optional<CertificatePin> selfSignedPin() {
        CertifiedKey current = current();
        return current.selfSigned() ? Optional.of(current.pin()) : Optional.empty();
    }

    /** {@link CertifiedKey#publicKeyPin()} of the certificate served now, when it is self-signed (as above). */
    public Optional<String> selfSignedPublicKeyPin() {
        CertifiedKey current = current();
        return current.selfSigned() ? Optional.of(current.publicKeyPin()) : Optional.empty();
    }

    /**
     * A client context that trusts exactly the certificate this node serves at the time of each handshake: for the
     * node's own local agent over loopback (no host name to check, and a renewal must not lock it out).
     */
    public SSLContext trustingItself() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new LeafCertificateTrust(this::servedNow)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    private void servedNow(X509Certificate presented) throws CertificateException {
        CertificatePin served = current().pin();
        if (!served.matches(presented)) {
            throw new CertificateException("the certificate presented (SHA-256 " + CertificatePin.of(presented)
                    + ") is not the one this node serves (" + served + ")");
        }
    }

    /**
     * keytool SAN entries for a self-signed certificate: loopback, the bind address, the public URL's host, this
     * machine's name and addresses. Browsers still warn (no CA signed it); agents pin it and ignore names.
     */
    static List<String> alternativeNames(String bind, String publicUrl) {
        Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
        addHost(names, bind);
        if (!publicUrl.isBlank()) {
            try {
                String host = URI.create(publicUrl.strip()).getHost();
                if (host != null) {
                    addHost(names, host);
                }
            } catch (IllegalArgumentException e) {
                // A malformed public URL is reported where it is used; the certificate just lacks that name.
            }
        }
        try {
            addHost(names, InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // No name for this machine: addresses only.
        }
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        names.add("ip:" + strip(address));
                    }
                }
            }
        } catch (SocketException e) {
            // Without interface addresses the certificate lists fewer names; agents pin it regardless.
        }
        return List.copyOf(names);
    }

    private static void addHost(Set<String> names, String host) {
        String bare = host.strip().replaceAll("^\\[|\\]$", "");
        if (bare.isEmpty() || bare.equals("0.0.0.0") || bare.equals("::")) {
            return;
        }
        if (bare.matches("[0-9.]+|[0-9a-fA-F.:]*:[0-9a-fA-F.:]*")) {
            names.add("ip:" + bare);
        } else if (bare.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            names.add("dns:" + bare.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String strip(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return address instanceof Inet6Address && scope >= 0 ? text.substring(0, scope) : text;
    }
}
