package io.steward.core.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server exactly when a check accepts the leaf certificate it presents (a pin, or the certificate a node
 * serves now), whoever signed it. An extended trust manager, so the JDK uses it as it is rather than adding its host
 * name check around it: the expected certificate is the identity. Client certificates are never accepted.
 */
public final class LeafCertificateTrust extends X509ExtendedTrustManager {
    /** Throws, saying why, when {@code presented} is not the expected certificate. */
    @FunctionalInterface
    public interface Check {
        void accept(X509Certificate presented) throws CertificateException;
    }

    private final Check check;

    public LeafCertificateTrust(Check check) {
        this.check = requireNonNull(check, "check is null");
    }

    private void server(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        check.accept(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        server(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        server(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        server(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("no client certificates are accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("no client certificates are accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("no client certificates are accepted");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
