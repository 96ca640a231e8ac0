package io.steward.node.server;

import io.steward.core.services.RecoveryPolicy;
import io.steward.core.services.ServiceAction;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a server's entity persists about its services: each service's recovery (where the restart policy stands),
 * which services have auto-restart switched off, and people's actions not answered yet; part of
 * {@link ServerState.Active}. The services' live states are not here: they arrive with every check and are kept in
 * memory only.
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
    public record PendingAction(String service, ServiceAction action, String by) implements CborSerializable {}

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

        Recovery with(Phase newPhase, int newAttempts, Instant down, Instant next, String command, String result) {
            return new Recovery(newPhase, newAttempts, down, next, command, result, restarts);
        }
    }

    public Recovery recovery(String service) {
        return recoveries.getOrDefault(service, Recovery.IDLE);
    }

    public boolean autoRestart(String service) {
        return !autoRestartOff.contains(service);
    }

    /** The book after {@code event}; {@code policy} bounds the remembered restarts to its flap window. */
    ServiceBook apply(ServiceEvent event, RecoveryPolicy policy) {
        String service = event.service();
        Recovery r = recovery(service);
        if (event instanceof ServiceEvent.WentDown down) {
            return with(service, r.with(Phase.IDLE, 0, down.at(), null, null, down.detail()));
        }
        if (event instanceof ServiceEvent.RestartAttempted attempted) {
            return with(service, r.with(Phase.IN_FLIGHT, attempted.attempt(),
                    r.downSince() == null ? attempted.at() : r.downSince(), null, attempted.commandId(),
                    r.lastResult()));
        }
        if (event instanceof ServiceEvent.RestartFailed failed) {
            return with(service, r.with(Phase.WAITING, failed.attempt(), r.downSince(), failed.nextAttemptAt(), null,
                    failed.reason()));
        }
        if (event instanceof ServiceEvent.RecoveryGaveUp gaveUp) {
            return with(service, r.with(Phase.GAVE_UP, gaveUp.attempts(), r.downSince(), null, null,
                    gaveUp.reason()));
        }
        if (event instanceof ServiceEvent.Flapping flapping) {
            return with(service, r.with(Phase.FLAPPING, 0, r.downSince(), null, null,
                    "restarted " + flapping.restartsInWindow() + " times recently"));
        }
        if (event instanceof ServiceEvent.Recovered recovered) {
            List<Instant> restarts = new ArrayList<>(r.restarts());
            if (recovered.attempts() > 0) {
                restarts.add(recovered.at());
            }
            return with(service, new Recovery(Phase.IDLE, 0, null, null, null, r.lastResult(),
                    policy.withinWindow(restarts, recovered.at())));
        }
        if (event instanceof ServiceEvent.ActionRequested requested) {
            ServiceBook book = withAction(requested.commandId(),
                    new PendingAction(service, requested.action(), requested.by()));
            // Held from the moment a person asks: a check that sees it down meanwhile must not restart it.
            return requested.action() == ServiceAction.STOP ? book.held(service, requested.by(), requested.at()) : book;
        }
        if (event instanceof ServiceEvent.ActionCompleted completed) {
            ServiceBook book = completed.commandId() == null ? this : withAction(completed.commandId(), null);
            return completed.action() == ServiceAction.STOP && "done".equals(completed.result())
                    ? book.held(service, completed.by(), completed.at()) : book;
        }
        ServiceEvent.AutoRestartChanged changed = (ServiceEvent.AutoRestartChanged) event;
        ServiceBook book = withAutoRestart(service, changed.enabled());
        if (!changed.enabled() && (r.phase() == Phase.WAITING || r.phase() == Phase.IN_FLIGHT)) {
            return book.with(service, r.with(Phase.IDLE, r.attempts(), r.downSince(), null, null,
                    "auto-restart turned off by " + changed.by()));
        }
        if (changed.enabled() && r.phase() == Phase.IDLE && r.downSince() != null) {
            // Still down: the next check treats it as newly down and starts the policy.
            return book.with(service, r.with(Phase.IDLE, 0, null, null, null, r.lastResult()));
        }
        return book;
    }

    /** Stopped by a person: left down, not restarted, until it runs again. */
    private ServiceBook held(String service, String by, Instant at) {
        return with(service, recovery(service).with(Phase.HELD, 0, at, null, null, "stopped by " + by));
    }

    private ServiceBook with(String service, Recovery recovery) {
        Map<String, Recovery> changed = new HashMap<>(recoveries);
        changed.put(service, recovery);
        return new ServiceBook(changed, autoRestartOff, actions);
    }

    private ServiceBook withAction(String commandId, PendingAction action) {
        Map<String, PendingAction> changed = new HashMap<>(actions);
        if (action == null) {
            changed.remove(commandId);
        } else {
            changed.put(commandId, action);
        }
        return new ServiceBook(recoveries, autoRestartOff, changed);
    }

    private ServiceBook withAutoRestart(String service, boolean enabled) {
        Set<String> changed = new HashSet<>(autoRestartOff);
        if (enabled) {
            changed.remove(service);
        } else {
            changed.add(service);
        }
        return new ServiceBook(recoveries, changed, actions);
    }
}
