package io.steward.node.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** HTTP and session settings, read once from {@code steward.http} and {@code steward.auth}. */
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
        int enrollmentTokenMaxUses) {

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
        return new HttpSettings(
                http.getString("bind"),
                http.getInt("port"),
                http.getBytes("max-request-body"),
                http.getDuration("ask-timeout"),
                http.getBoolean("secure-cookies"),
                auth.getDuration("session-ttl"),
                auth.getInt("max-failed-logins"),
                auth.getDuration("failed-login-window"),
                auth.getDuration("enrollment-token-ttl"),
                auth.getInt("enrollment-token-default-uses"),
                auth.getInt("enrollment-token-max-uses"));
    }
}
