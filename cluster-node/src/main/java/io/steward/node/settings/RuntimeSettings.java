package io.steward.node.settings;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * The runtime settings in force, typed: what consumers read at the moment they decide (an entity arming its offline
 * timer, the retention job starting a run, a connection sending its welcome, a request building a link).
 *
 * @param publicUrl the dashboard's public URL without trailing slash, or empty (derived from bind address and port)
 */
public record RuntimeSettings(int offlineAfterMissedReports, Duration agentInterval, String publicUrl,
        Duration rawRetention, Duration minuteRetention, Duration hourRetention) {

    public RuntimeSettings {
        requireNonNull(agentInterval, "agentInterval is null");
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(rawRetention, "rawRetention is null");
        requireNonNull(minuteRetention, "minuteRetention is null");
        requireNonNull(hourRetention, "hourRetention is null");
    }

    /** Typed values of already validated texts, one per key. */
    static RuntimeSettings of(Map<SettingKey, String> effective) {
        return new RuntimeSettings(
                Integer.parseInt(effective.get(SettingKey.OFFLINE_AFTER_MISSED_REPORTS)),
                duration(effective, SettingKey.AGENT_INTERVAL),
                SettingText.publicUrl(effective.get(SettingKey.PUBLIC_URL)),
                duration(effective, SettingKey.RETENTION_RAW),
                duration(effective, SettingKey.RETENTION_ONE_MINUTE),
                duration(effective, SettingKey.RETENTION_ONE_HOUR));
    }

    private static Duration duration(Map<SettingKey, String> effective, SettingKey key) {
        return SettingText.parseDuration(effective.get(key))
                .orElseThrow(() -> new IllegalArgumentException(key.wireName() + " is not a duration"));
    }
}
