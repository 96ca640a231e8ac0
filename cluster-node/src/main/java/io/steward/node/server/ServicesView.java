package io.steward.node.server;

import io.steward.core.services.ServiceState;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;

/** The services as the API and the dashboard show them: the agent's latest check with the policy's state. */
public record ServicesView(Instant checkedAt, List<ServiceView> services) implements CborSerializable {
    static final ServicesView NONE_YET = new ServicesView(null, List.of());

    public ServicesView {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public record ServiceView(ServiceState state, boolean autoRestart, ServiceBook.Recovery recovery)
            implements CborSerializable {}
}
