package io.steward.node.server;

import java.util.OptionalInt;

/**
 * How many missed report intervals make a server offline, asked each time an entity arms its offline timer, so an
 * admin's change applies to every entity at its next report without a restart.
 */
@FunctionalInterface
public interface OfflineThreshold {
    /** The threshold in force; empty means the entity's configured one ({@link ServerEntitySettings}). */
    OptionalInt missedReports();

    /** Always the configured threshold. */
    OfflineThreshold CONFIGURED = OptionalInt::empty;
}
