package io.steward.node.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every setting an admin may change at runtime: its name in the API and the table, the config key that gives its
 * default, what kind of value it takes and its bounds (inclusive). Order is the order the API and the UI list them.
 */
public enum SettingKey {
    OFFLINE_AFTER_MISSED_REPORTS("offlineAfterMissedReports", "steward.server.offline-after-missed-reports",
            Kind.COUNT, 1, 100,
            "A server that misses this many report intervals is marked offline."),
    AGENT_INTERVAL("agentInterval", "steward.ingest.agent-interval", Kind.DURATION,
            Duration.ofSeconds(1).toMillis(), Duration.ofSeconds(60).toMillis(),
            "Collection interval the node suggests to agents in its welcome (an agent's own --interval wins)."),
    PUBLIC_URL("publicUrl", "steward.http.public-url", Kind.URL, 0, 0,
            "Public URL of the dashboard, used in links and enrollment commands; empty = bind address and port."),
    RETENTION_RAW("retentionRaw", "steward.store.retention.raw", Kind.DURATION,
            Duration.ofHours(1).toMillis(), Duration.ofDays(3650).toMillis(),
            "Raw reports are deleted after this long (once rolled up)."),
    RETENTION_ONE_MINUTE("retentionOneMinute", "steward.store.retention.one-minute", Kind.DURATION,
            Duration.ofHours(1).toMillis(), Duration.ofDays(3650).toMillis(),
            "1-minute rollups are deleted after this long."),
    RETENTION_ONE_HOUR("retentionOneHour", "steward.store.retention.one-hour", Kind.DURATION,
            Duration.ofDays(1).toMillis(), Duration.ofDays(3650).toMillis(),
            "1-hour rollups are deleted after this long.");

    /** What values a setting takes. */
    public enum Kind {
        /** A whole number within min..max. */
        COUNT,
        /** A duration within min..max milliseconds, written {@code 7d}, {@code 30s}... */
        DURATION,
        /** An http(s) URL, or empty. */
        URL;

        /** "count", "duration", "url". */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String wireName;
    private final String configPath;
    private final Kind kind;
    private final long min;
    private final long max;
    private final String description;

    SettingKey(String wireName, String configPath, Kind kind, long min, long max, String description) {
        this.wireName = wireName;
        this.configPath = configPath;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    /** The name in the API, the table and the audit log. */
    public String wireName() {
        return wireName;
    }

    /** The config-file key whose value is the default. */
    public String configPath() {
        return configPath;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The least value as text ({@code 1}, {@code 1s}); null for a URL. */
    public @Nullable String minText() {
        return bound(min);
    }

    /** The greatest value as text; null for a URL. */
    public @Nullable String maxText() {
        return bound(max);
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    private @Nullable String bound(long value) {
        return switch (kind) {
            case COUNT -> Long.toString(value);
            case DURATION -> SettingText.duration(Duration.ofMillis(value));
            case URL -> null;
        };
    }

    /** The setting called {@code wireName} in the API. */
    public static Optional<SettingKey> byWireName(String wireName) {
        return Arrays.stream(values()).filter(key -> key.wireName.equals(wireName)).findFirst();
    }

    /** This setting's value in {@code config}, as text in the canonical form. */
    public String configured(Config config) {
        return switch (kind) {
            case COUNT -> Integer.toString(config.getInt(configPath));
            case DURATION -> SettingText.duration(config.getDuration(configPath));
            case URL -> SettingText.publicUrl(config.getString(configPath));
        };
    }
}
