package io.steward.node.overview;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the fleet overview's read model ({@code steward.overview}).
 *
 * @param reconcileInterval how often the servers table is read again and the servers nobody has heard of (or stale
 *     ones) are asked
 * @param staleAfter a server said to be online with no report for this long is asked again
 * @param fullRefreshInterval how often every server is asked, behind the pushes (a topic delivers at most once)
 * @param waitingReadersLimit readers held while the model seeds at start; past this they are refused
 */
public record OverviewSettings(
        Duration reconcileInterval, Duration staleAfter, Duration fullRefreshInterval, int waitingReadersLimit) {

    public OverviewSettings {
        requirePositive(reconcileInterval, "reconcile-interval");
        requirePositive(staleAfter, "stale-after");
        requirePositive(fullRefreshInterval, "full-refresh-interval");
        if (waitingReadersLimit < 1) {
            throw new IllegalArgumentException("steward.overview.waiting-readers-limit must be >= 1");
        }
    }

    private static void requirePositive(Duration value, String key) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("steward.overview." + key + " must be positive");
        }
    }

    public static OverviewSettings fromConfig(Config config) {
        Config overview = config.getConfig("steward.overview");
        return new OverviewSettings(
                overview.getDuration("reconcile-interval"),
                overview.getDuration("stale-after"),
                overview.getDuration("full-refresh-interval"),
                overview.getInt("waiting-readers-limit"));
    }
}
