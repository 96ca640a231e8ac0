package io.steward.agent.checks;

import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.Fingerprint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TLS handshakes that always learn the served certificate. The handshake itself accepts any chain (a recording
 * trust manager), and the chain is judged separately against {@code validator} (the JDK's trust store in production)
 * during the handshake, with the host name checked as HTTPS does: so an untrusted or expired certificate still
 * reports its dates, and "untrusted" is a failure reason of its own.
 */
final class TlsInspector {
    private final X509ExtendedTrustManager validator;

    TlsInspector(X509ExtendedTrustManager validator) {
        this.validator = validator;
    }

    /** The JDK's default trust store (cacerts), as browsers and curl would judge. */
    static X509ExtendedTrustManager systemTrust() {
        return trusting(null);
    }

    /** A validator trusting the roots in {@code trustStore} ({@code null}: the JDK's default). */
    static X509ExtendedTrustManager trusting(@Nullable KeyStore trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("no X509ExtendedTrustManager in the JDK's trust manager factory");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the trust store", e);
        }
    }

    /** A completed handshake: the socket to talk over and the certificate, judged. */
    record Handshake(SSLSocket socket, CertificateInfo certificate, @Nullable ProbeFailure certificateFailure) {}

    /**
     * Handshakes over the connected {@code plain} socket. A handshake that fails is a {@link ProbeFailure}
     * ({@code TLS_HANDSHAKE} or {@code TIMEOUT}); a certificate that is not good is reported in the answer, so the
     * caller decides whether to go on.
     *
     * @param serverName the SNI and verified name; an IP address sends no SNI and is verified against IP SANs
     * @param pinned a fingerprint accepted even when its chain is not trusted
     */
    Handshake handshake(Socket plain, String serverName, int port, @Nullable InetAddress address, String endpoint,
            @Nullable String pinned, Deadline deadline, Phases phases) throws ProbeFailure {
        Recorder recorder = new Recorder(validator);
        long start = System.nanoTime();
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpAddress(serverName)) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(deadline.remainingMillis("TLS handshake"));
            socket.startHandshake();
        } catch (SocketTimeoutException e) {
            throw deadline.expired("TLS handshake");
        } catch (SSLException | GeneralSecurityException e) {
            throw new ProbeFailure(FailureReason.TLS_HANDSHAKE, "TLS handshake failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ProbeFailure(FailureReason.TLS_HANDSHAKE, "TLS handshake failed: " + e);
        } finally {
            phases.tls(start);
        }
        if (recorder.chain == null || recorder.chain.length == 0) {
            throw new ProbeFailure(FailureReason.TLS_HANDSHAKE, "the server presented no certificate");
        }
        return judge(socket, recorder, endpoint, address, pinned);
    }

    private static Handshake judge(SSLSocket socket, Recorder recorder, String endpoint, @Nullable InetAddress address,
            @Nullable String pinned) {
        X509Certificate leaf = recorder.chain[0];
        String fingerprint;
        try {
            fingerprint = Fingerprint.of(leaf.getEncoded());
        } catch (CertificateException e) {
            fingerprint = "unreadable";
        }
        Date chainNotAfter = leaf.getNotAfter();
        for (X509Certificate certificate : recorder.chain) {
            if (certificate.getNotAfter().before(chainNotAfter)) {
                chainNotAfter = certificate.getNotAfter();
            }
        }
        ProbeFailure failure = null;
        Date now = new Date();
        for (X509Certificate certificate : recorder.chain) {
            if (now.after(certificate.getNotAfter())) {
                failure = new ProbeFailure(FailureReason.CERTIFICATE_INVALID, "the certificate "
                        + certificate.getSubjectX500Principal().getName() + " expired at "
                        + certificate.getNotAfter().toInstant());
                break;
            }
            if (now.before(certificate.getNotBefore())) {
                failure = new ProbeFailure(FailureReason.CERTIFICATE_INVALID, "the certificate "
                        + certificate.getSubjectX500Principal().getName() + " is not valid before "
                        + certificate.getNotBefore().toInstant());
                break;
            }
        }
        boolean pinnedMatch = fingerprint.equals(pinned);
        if (failure == null && recorder.problem != null && !pinnedMatch) {
            failure = untrusted(recorder.problem)
                    ? new ProbeFailure(FailureReason.CERTIFICATE_UNTRUSTED, "certificate not trusted: "
                            + recorder.problem.getMessage() + (pinned == null ? "" : "; its fingerprint " + fingerprint
                            + " is not the pinned one"))
                    : new ProbeFailure(FailureReason.CERTIFICATE_INVALID, "certificate not valid for this host: "
                            + recorder.problem.getMessage());
        }
        boolean trusted = failure == null;
        CertificateInfo info = new CertificateInfo(endpoint, address == null ? null : address.getHostAddress(),
                leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), chainNotAfter.toInstant(),
                fingerprint, trusted, failure == null ? null : failure.getMessage());
        return new Handshake(socket, info, failure);
    }

    /** A chain that leads to no trusted root, as opposed to a good chain for another name. */
    private static boolean untrusted(CertificateException problem) {
        for (Throwable cause = problem; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** Accepts every chain, remembering it and what {@code validator} thought of it. */
    private static final class Recorder extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager validator;
        private X509Certificate[] chain;
        private CertificateException problem;

        Recorder(X509ExtendedTrustManager validator) {
            this.validator = validator;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            this.chain = chain;
            try {
                validator.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                problem = e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            this.chain = chain;
            try {
                validator.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                problem = e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = chain;
            try {
                validator.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                problem = e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a prober never accepts clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a prober never accepts clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a prober never accepts clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
