package io.steward.node.http;

import com.typesafe.config.Config;
import io.steward.node.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP and session settings, read once from {@code steward.http} and {@code steward.auth}.
 *
 * @param secureCookies the session cookie is {@code Secure}: configured, or always when the node serves HTTPS
 * @param tls the node serves HTTPS on its port (given or self-signed certificate)
 * @param publicUrl the configured public URL, or blank
 * @param downloadsDir what {@code /downloads} serves ({@code steward.downloads.dir}); empty when blank
 */
public record HttpSettings(
        String bind,
        int port,
        long maxRequestBody,
        Duration askTimeout,
        boolean secureCookies,
        Duration sessionTtl,
        int maxFailedLogins,
        Duration failedLoginWindow,
        Duration enrollmentTokenTtl,
        int enrollmentTokenDefaultUses,
        int enrollmentTokenMaxUses,
        boolean tls,
        String publicUrl,
        Optional<Path> downloadsDir) {

    public HttpSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("steward.http.port must be within 0..65535");
        }
        if (enrollmentTokenDefaultUses < 1 || enrollmentTokenDefaultUses > enrollmentTokenMaxUses) {
            throw new IllegalArgumentException(
                    "steward.auth.enrollment-token-default-uses must be within 1..enrollment-token-max-uses");
        }
    }

    public static HttpSettings fromConfig(Config config) {
        Config http = config.getConfig("steward.http");
        Config auth = config.getConfig("steward.auth");
        boolean tls = !(TlsSettings.fromConfig(config).plan(http.getString("bind")) instanceof TlsSettings.Plain);
        return new HttpSettings(
                http.getString("bind"),
                http.getInt("port"),
                http.getBytes("max-request-body"),
                http.getDuration("ask-timeout"),
                http.getBoolean("secure-cookies") || tls,
                auth.getDuration("session-ttl"),
                auth.getInt("max-failed-logins"),
                auth.getDuration("failed-login-window"),
                auth.getDuration("enrollment-token-ttl"),
                auth.getInt("enrollment-token-default-uses"),
                auth.getInt("enrollment-token-max-uses"),
                tls,
                http.getString("public-url").strip(),
                downloadsDir(config.getString("steward.downloads.dir")));
    }

    private static Optional<Path> downloadsDir(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        Path directory = Path.of(text.strip()).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("steward.downloads.dir: " + directory + " is not a directory");
        }
        return Optional.of(directory);
    }
}
