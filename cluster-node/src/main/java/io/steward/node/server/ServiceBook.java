package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a server's entity persists about its services: each service's recovery (where the restart policy stands)
 * and which services have auto-restart switched off. The services' live states are not here: they arrive with
 * every check and are kept in memory only.
 */
public record ServiceBook(Map<String, Recovery> recoveries, Set<String> autoRestartOff,
        Map<String, PendingAction> actions) implements CborSerializable {
    public static final ServiceBook EMPTY = new ServiceBook(Map.of(), Set.of(), Map.of());

    public ServiceBook {
        recoveries = recoveries == null ? Map.of() : Map.copyOf(recoveries);
        autoRestartOff = autoRestartOff == null ? Set.of() : Set.copyOf(autoRestartOff);
        actions = actions == null ? Map.of() : Map.copyOf(actions);
    }

    /**
     * A person's start/stop/restart sent to the agent and not answered yet, by command id: if the node restarts
     * meanwhile, the answer is lost, and the history says so instead of leaving the request open.
     */
    public record PendingAction(String service, io.steward.core.services.ServiceAction action, String by)
            implements CborSerializable {}

    ServiceBook withAction(String commandId, PendingAction action) {
        Map<String, PendingAction> changed = new HashMap<>(actions);
        if (action == null) {
            changed.remove(commandId);
        } else {
            changed.put(commandId, action);
        }
        return new ServiceBook(recoveries, autoRestartOff, changed);
    }

    public enum Phase {
        /** Running, or down without auto-restart. */
        IDLE,
        /** Down; the next restart attempt is due at {@code nextAttemptAt}. */
        WAITING,
        /** A restart was ordered and its answer (or the next check) is awaited. */
        IN_FLIGHT,
        /** The last attempt failed: no more restarts until the service runs again. */
        GAVE_UP,
        /** Restarted too often within the window: left down, alerted. */
        FLAPPING,
        /** Stopped by a person through Steward: left down until it runs again. */
        HELD
    }

    /**
     * @param attempts restarts tried since the service went down
     * @param restarts when the policy restarted it successfully, within the flap window
     */
    public record Recovery(Phase phase, int attempts, Instant downSince, Instant nextAttemptAt, String commandId,
            String lastResult, List<Instant> restarts) implements CborSerializable {
        public static final Recovery IDLE = new Recovery(Phase.IDLE, 0, null, null, null, null, List.of());

        public Recovery {
            restarts = restarts == null ? List.of() : List.copyOf(restarts);
        }

        Recovery with(Phase newPhase, int newAttempts, Instant down, Instant next, String command, String result,
                List<Instant> newRestarts) {
            return new Recovery(newPhase, newAttempts, down, next, command, result, newRestarts);
        }
    }

    public Recovery recovery(String service) {
        return recoveries.getOrDefault(service, Recovery.IDLE);
    }

    public boolean autoRestart(String service) {
        return !autoRestartOff.contains(service);
    }

    ServiceBook with(String service, Recovery recovery) {
        Map<String, Recovery> changed = new HashMap<>(recoveries);
        changed.put(service, recovery);
        return new ServiceBook(changed, autoRestartOff, actions);
    }

    ServiceBook withAutoRestart(String service, boolean enabled) {
        Set<String> changed = new HashSet<>(autoRestartOff);
        if (enabled) {
            changed.remove(service);
        } else {
            changed.add(service);
        }
        return new ServiceBook(recoveries, changed, actions);
    }
}
