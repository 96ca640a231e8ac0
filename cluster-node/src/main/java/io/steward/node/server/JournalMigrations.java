package io.steward.node.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads events stored before the entity was split by concern, when every event was nested in {@code ServerEntity}
 * (manifest {@code io.steward.node.server.ServerEntity$AlertFired}): each old class name maps to its new class; the
 * fields did not change. Registered for every old name under {@code pekko.serialization.jackson.migrations} in
 * application.conf, and proven by {@code JournalCompatibilityTest} on the golden journal of the old code. Kept as long
 * as journals written before the split may exist.
 */
public final class JournalMigrations extends JacksonMigration {
    private static final String OLD = "io.steward.node.server.ServerEntity$";

    /** Old simple name (nested in ServerEntity) to the class that now holds the same fields. */
    static final Map<String, Class<? extends ServerEvent>> RENAMED = Map.ofEntries(
            Map.entry("Registered", LifecycleEvent.Registered.class),
            Map.entry("Deleted", LifecycleEvent.Deleted.class),
            Map.entry("HostnameChanged", IdentityEvent.HostnameChanged.class),
            Map.entry("AgentVersionChanged", IdentityEvent.AgentVersionChanged.class),
            Map.entry("SystemChanged", IdentityEvent.SystemChanged.class),
            Map.entry("Renamed", DetailsEvent.Renamed.class),
            Map.entry("Regrouped", DetailsEvent.Regrouped.class),
            Map.entry("Retagged", DetailsEvent.Retagged.class),
            Map.entry("NotesChanged", DetailsEvent.NotesChanged.class),
            Map.entry("CameOnline", PresenceEvent.CameOnline.class),
            Map.entry("ReportsDropped", PresenceEvent.ReportsDropped.class),
            Map.entry("WentOffline", PresenceEvent.WentOffline.class),
            Map.entry("AlertPending", AlertEvent.Pending.class),
            Map.entry("AlertCancelled", AlertEvent.Cancelled.class),
            Map.entry("AlertFired", AlertEvent.Fired.class),
            Map.entry("AlertResolved", AlertEvent.Resolved.class),
            Map.entry("AlertAcknowledged", AlertEvent.Acknowledged.class),
            Map.entry("Silenced", AlertEvent.Silenced.class),
            Map.entry("SilenceEnded", AlertEvent.SilenceEnded.class),
            Map.entry("ServiceWentDown", ServiceEvent.WentDown.class),
            Map.entry("ServiceRecovered", ServiceEvent.Recovered.class),
            Map.entry("ServiceRestartAttempted", ServiceEvent.RestartAttempted.class),
            Map.entry("ServiceRestartFailed", ServiceEvent.RestartFailed.class),
            Map.entry("ServiceRecoveryGaveUp", ServiceEvent.RecoveryGaveUp.class),
            Map.entry("ServiceFlapping", ServiceEvent.Flapping.class),
            Map.entry("ServiceActionRequested", ServiceEvent.ActionRequested.class),
            Map.entry("ServiceActionCompleted", ServiceEvent.ActionCompleted.class),
            Map.entry("AutoRestartChanged", ServiceEvent.AutoRestartChanged.class));

    /** The old manifests carry no version (1); this migration takes them to 2, renaming only. */
    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public String transformClassName(int fromVersion, String className) {
        if (!className.startsWith(OLD)) {
            return className;
        }
        Class<? extends ServerEvent> renamed = RENAMED.get(className.substring(OLD.length()));
        if (renamed == null) {
            throw new IllegalStateException("no migration for stored event class " + className);
        }
        return renamed.getName();
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        return json; // same fields
    }

    /** The old class names this migration reads (each is a key of the migrations config). */
    static Set<String> oldClassNames() {
        Set<String> names = new TreeSet<>();
        RENAMED.keySet().forEach(name -> names.add(OLD + name));
        return names;
    }
}
