package io.steward.node.notify;

import com.typesafe.config.Config;
import io.steward.node.checks.CheckId;
import java.time.Duration;

/** Delivery settings, read once from {@code steward.notify}. */
public record NotifySettings(
        Duration retryBase,
        int maxAttempts,
        Duration pollInterval,
        int parallelism,
        Duration sendTimeout,
        Duration maxEventAge,
        Duration reminderCheck,
        Duration retention,
        String publicUrl) {

    public NotifySettings {
        if (maxAttempts < 1 || parallelism < 1) {
            throw new IllegalArgumentException("steward.notify.max-attempts and parallelism must be at least 1");
        }
        publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public static NotifySettings fromConfig(Config config, String publicUrl) {
        Config notify = config.getConfig("steward.notify");
        return new NotifySettings(
                notify.getDuration("retry-base"),
                notify.getInt("max-attempts"),
                notify.getDuration("poll-interval"),
                notify.getInt("parallelism"),
                notify.getDuration("send-timeout"),
                notify.getDuration("max-event-age"),
                notify.getDuration("reminder-check"),
                notify.getDuration("retention"),
                publicUrl);
    }

    /** The same settings with another public URL (the one in force when a link is made). */
    public NotifySettings withPublicUrl(String url) {
        return new NotifySettings(retryBase, maxAttempts, pollInterval, parallelism, sendTimeout, maxEventAge,
                reminderCheck, retention, url);
    }

    /** Wait before attempt {@code attempt + 1}: base, 2 x base, 4 x base... (30 s base: 8 attempts over ~64 min). */
    public Duration backoff(int attempt) {
        return retryBase.multipliedBy(1L << Math.min(attempt - 1, 20));
    }

    /** The dashboard page of an alert's subject: a server's page, or a check's ({@code check:<id>}). */
    public String serverLink(String serverId) {
        if (serverId.startsWith(CheckId.SUBJECT_PREFIX)) {
            return publicUrl + "/checks/" + java.net.URLEncoder.encode(
                    serverId.substring(CheckId.SUBJECT_PREFIX.length()), java.nio.charset.StandardCharsets.UTF_8);
        }
        return publicUrl + "/servers/" + java.net.URLEncoder.encode(serverId, java.nio.charset.StandardCharsets.UTF_8);
    }
}
