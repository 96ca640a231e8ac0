package io.steward.node.tls;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How the node's HTTP port is secured, read once from {@code steward.http.tls} and {@code steward.http.bind}.
 *
 * @param certFile PEM certificate chain, leaf first; null unless given (with {@code keyFile})
 * @param keyFile PEM private key (PKCS#8, or PKCS#1 RSA); null unless given
 * @param plainHttp {@code mode = off}: plain HTTP whatever the bind address (behind a proxy that terminates TLS)
 * @param reloadCheck how often, at most, a TLS handshake looks whether the PEM files changed
 * @param redirectPort a plain-HTTP port that answers every request with a redirect to HTTPS; 0 = none
 * @param selfSignedDirectory where a generated self-signed certificate is kept
 */
public record TlsSettings(Path certFile, Path keyFile, boolean plainHttp, Duration reloadCheck, int redirectPort,
        Path selfSignedDirectory) {

    public TlsSettings {
        requireNonNull(reloadCheck, "reloadCheck is null");
        requireNonNull(selfSignedDirectory, "selfSignedDirectory is null");
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("steward.http.tls.cert-file and key-file (--tls-cert, --tls-key) go "
                    + "together: give both or neither");
        }
        if (plainHttp && certFile != null) {
            throw new IllegalArgumentException("steward.http.tls.mode = off contradicts the certificate given in "
                    + "cert-file (--tls-cert)");
        }
        if (redirectPort < 0 || redirectPort > 65535) {
            throw new IllegalArgumentException("steward.http.redirect-port must be within 0..65535");
        }
    }

    /** What the node serves on its HTTP port. */
    public sealed interface Plan permits Plain, GivenCertificate, SelfSigned {}

    /** Plain HTTP: bound to loopback only, or {@code mode = off}. */
    public record Plain() implements Plan {}

    /** HTTPS with the operator's PEM files, reloaded when they change. */
    public record GivenCertificate(Path certFile, Path keyFile) implements Plan {}

    /** HTTPS with a certificate the node made for itself on its first start and keeps. */
    public record SelfSigned(Path directory) implements Plan {}

    public static TlsSettings fromConfig(Config config) {
        Config tls = config.getConfig("steward.http.tls");
        String mode = tls.getString("mode").toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("off")) {
            throw new IllegalArgumentException("steward.http.tls.mode must be auto or off, got '" + mode + "'");
        }
        return new TlsSettings(path(tls.getString("cert-file")), path(tls.getString("key-file")),
                mode.equals("off"), tls.getDuration("reload-check"), config.getInt("steward.http.redirect-port"),
                Path.of(config.getString("steward.data-dir")).resolve("tls"));
    }

    /**
     * Given files win; otherwise a node reachable from other machines serves HTTPS with a self-signed certificate,
     * and one bound to loopback (tests, a node behind a local proxy) plain HTTP.
     */
    public Plan plan(String bind) {
        if (certFile != null) {
            return new GivenCertificate(certFile, keyFile);
        }
        if (plainHttp || isLoopback(bind)) {
            return new Plain();
        }
        return new SelfSigned(selfSignedDirectory);
    }

    /** Whether {@code bind} reaches only this machine ({@code 127.x}, {@code ::1}, {@code localhost}). */
    static boolean isLoopback(String bind) {
        String host = bind.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F.:]*:[0-9a-fA-F.:]*")) {
            return false; // a name: whatever it resolves to later, treat it as reachable
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Path path(String text) {
        return text.isBlank() ? null : Path.of(text.strip());
    }
}
