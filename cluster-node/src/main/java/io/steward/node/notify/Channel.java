package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configured notification channel and its routing: which severities, and (when not empty) which groups or tags
 * of servers it hears about.
 *
 * @param remindEveryHours re-send a still-firing alert this often; null = never
 */
public record Channel(
        String id,
        String name,
        ChannelKind kind,
        boolean enabled,
        Set<Severity> severities,
        List<String> groups,
        List<String> tags,
        Integer remindEveryHours,
        Map<String, Object> settings,
        Map<String, String> secrets,
        Instant createdAt,
        Instant updatedAt,
        Health health) {

    /** How delivery to this channel has been going; {@code failing} raises an in-app warning. */
    public record Health(Instant lastSuccessAt, Instant lastFailureAt, String lastError, int consecutiveFailures) {
        public static final Health NEW = new Health(null, null, null, 0);

        public boolean failing() {
            return consecutiveFailures >= Dispatcher.FAILING_AFTER;
        }
    }

    public Channel {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        severities = Set.copyOf(severities);
        groups = List.copyOf(groups);
        tags = List.copyOf(tags);
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        health = health == null ? Health.NEW : health;
    }

    /** Whether an alert of this severity on a server with this group and these tags goes to this channel. */
    public boolean accepts(Severity severity, String group, List<String> serverTags) {
        if (!enabled || !severities.contains(severity)) {
            return false;
        }
        if (groups.isEmpty() && tags.isEmpty()) {
            return true;
        }
        return (group != null && groups.contains(group)) || serverTags.stream().anyMatch(tags::contains);
    }

    public String setting(String name, String fallback) {
        Object value = settings.get(name);
        return value == null ? fallback : String.valueOf(value);
    }
}
