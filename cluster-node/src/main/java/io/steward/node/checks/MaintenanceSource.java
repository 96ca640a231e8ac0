package io.steward.node.checks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Whether a check is inside a maintenance window: read by every check entity on every judgement, from memory. */
@FunctionalInterface
public interface MaintenanceSource {
    boolean covers(String checkId, @Nullable String group, Instant at);

    MaintenanceSource NONE = (checkId, group, at) -> false;
}
