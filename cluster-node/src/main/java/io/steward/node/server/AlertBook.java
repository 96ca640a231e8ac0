package io.steward.node.server;

import io.steward.node.alerting.ActiveAlert;
import io.steward.node.serialization.CborSerializable;
import java.util.HashMap;
import java.util.Map;

/** The server's pending and firing alerts, by {@link ActiveAlert#key()}: part of {@link ServerState.Active}. */
public record AlertBook(Map<String, ActiveAlert> active) implements CborSerializable {
    public static final AlertBook NONE = new AlertBook(Map.of());

    public AlertBook {
        active = active == null ? Map.of() : Map.copyOf(active);
    }

    public ActiveAlert get(String key) {
        return active.get(key);
    }

    public AlertBook apply(AlertEvent event) {
        if (event instanceof AlertEvent.Pending pending) {
            return with(pending.alert());
        }
        if (event instanceof AlertEvent.Fired fired) {
            return with(fired.alert());
        }
        if (event instanceof AlertEvent.Cancelled cancelled) {
            return without(cancelled.alert().key());
        }
        if (event instanceof AlertEvent.Resolved resolved) {
            return without(resolved.alert().key());
        }
        if (event instanceof AlertEvent.Acknowledged acknowledged) {
            ActiveAlert alert = active.get(acknowledged.key());
            return alert == null ? this : with(alert.withAcknowledgement(acknowledged.acknowledgement()));
        }
        return this; // silences are history only; the notifier reads the windows from their table
    }

    private AlertBook with(ActiveAlert alert) {
        Map<String, ActiveAlert> changed = new HashMap<>(active);
        changed.put(alert.key(), alert);
        return new AlertBook(changed);
    }

    private AlertBook without(String key) {
        Map<String, ActiveAlert> changed = new HashMap<>(active);
        changed.remove(key);
        return new AlertBook(changed);
    }
}
