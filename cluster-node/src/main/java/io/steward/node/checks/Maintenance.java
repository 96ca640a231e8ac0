package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckRules;
import io.steward.core.checks.MaintenanceWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A maintenance window and what it covers: the listed checks, or the checks of a group, or (neither given) every
 * check. Inside it the covered checks' alerts are suppressed; their results are kept.
 */
public record Maintenance(String id, String name, MaintenanceWindow window, List<String> checks,
        @Nullable String group) {
    public static final int MAX_CHECKS = 1_000;

    public Maintenance {
        requireNonNull(id, "id is null");
        if (name == null || name.isBlank() || name.length() > 200 || CheckRules.hasControl(name)) {
            throw new IllegalArgumentException("name: 1 to 200 characters on one line");
        }
        name = name.strip();
        if (window == null) {
            throw new IllegalArgumentException("window: required, {\"kind\": \"once\", \"start\", \"end\"} or"
                    + " {\"kind\": \"recurring\", \"cron\", \"timeZone\", \"duration\"}");
        }
        List<String> ids = new ArrayList<>();
        for (String check : checks == null ? List.<String>of() : checks) {
            if (!CheckId.isValid(check)) {
                throw new IllegalArgumentException("checks: '" + check + "' is not a check id");
            }
            if (!ids.contains(check)) {
                ids.add(check);
            }
        }
        if (ids.size() > MAX_CHECKS) {
            throw new IllegalArgumentException("checks: at most " + MAX_CHECKS);
        }
        checks = List.copyOf(ids);
        group = group == null || group.isBlank() ? null : group.strip();
        if (group != null && (group.length() > CheckSpec.MAX_GROUP || CheckRules.hasControl(group))) {
            throw new IllegalArgumentException("group: 1 to " + CheckSpec.MAX_GROUP + " characters on one line");
        }
    }

    /** Whether this window holds {@code checkId} (of {@code checkGroup}) at {@code at}. */
    public boolean covers(String checkId, @Nullable String checkGroup, Instant at) {
        boolean scoped = !checks.isEmpty() ? checks.contains(checkId)
                : group == null || group.equals(checkGroup);
        return scoped && window.covers(at);
    }
}
