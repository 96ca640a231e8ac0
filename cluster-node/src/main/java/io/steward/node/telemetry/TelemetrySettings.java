package io.steward.node.telemetry;

import com.typesafe.config.Config;

/**
 * What {@code /metrics} exposes, from {@code steward.metrics}.
 *
 * @param fleet also expose every server's latest values (off by default: one database query per server per scrape,
 *     and a series per server and mount/disk/interface in Prometheus)
 */
public record TelemetrySettings(boolean fleet) {
    public static TelemetrySettings fromConfig(Config config) {
        return new TelemetrySettings(config.getBoolean("steward.metrics.fleet"));
    }
}
