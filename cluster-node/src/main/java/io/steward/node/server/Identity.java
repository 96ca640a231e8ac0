package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/**
 * What the server is, as its agent says: part of {@link ServerState.Active}.
 *
 * @param system null until the first report
 */
public record Identity(
        String hostname, String machineId, String agentVersion, SystemIdentity system, Instant registeredAt)
        implements CborSerializable {

    public Identity {
        requireNonNull(registeredAt, "registeredAt is null");
    }

    static Identity registered(LifecycleEvent.Registered event) {
        return new Identity(event.hostname(), event.machineId(), event.agentVersion(), null, event.at());
    }

    Identity apply(IdentityEvent event) {
        if (event instanceof IdentityEvent.HostnameChanged changed) {
            return new Identity(changed.to(), machineId, agentVersion, system, registeredAt);
        }
        if (event instanceof IdentityEvent.AgentVersionChanged changed) {
            return new Identity(hostname, machineId, changed.to(), system, registeredAt);
        }
        IdentityEvent.SystemChanged changed = (IdentityEvent.SystemChanged) event;
        return new Identity(hostname, machineId, agentVersion, changed.to(), registeredAt);
    }
}
