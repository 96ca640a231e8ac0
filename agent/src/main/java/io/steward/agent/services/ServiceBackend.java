package io.steward.agent.services;

import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.util.List;

/**
 * One way of watching and controlling services (systemd units, supervised processes). Backends act only on the
 * services named in the agent's own config; the monitor asks {@link #owns} before {@link #act}.
 */
public interface ServiceBackend {

    /** The current state of every service this backend watches. Blocking; called on the monitor's thread. */
    List<ServiceState> check();

    /** Whether {@code service} is one this backend may act on (configured, not merely discovered). */
    boolean owns(String service);

    /** Starts, stops, restarts a service or reads its last {@code lines} log lines. Blocking. */
    ActionResult act(String service, ServiceAction action, int lines);

    /** The name a check reports {@code service} under, for a name this backend {@link #owns} (the same by default). */
    default String reportedName(String service) {
        return service;
    }

    /** What an action did, in words for the person who asked. */
    record ActionResult(boolean ok, String message, List<String> lines) {
        public ActionResult {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }

        public static ActionResult ok(String message) {
            return new ActionResult(true, message, List.of());
        }

        public static ActionResult failed(String message) {
            return new ActionResult(false, message, List.of());
        }
    }
}
