package io.steward.node.server;

import io.steward.core.services.ServiceState;
import java.util.List;

/**
 * The name the agent's checks report a service under, for a name a person or an API caller gave. The agent takes
 * "nginx.service" and "nginx" for one systemd unit and reports it as "nginx"; a stop's hold or an auto-restart switch
 * kept under the other spelling would miss the checks, and the policy would restart a service a person stopped.
 */
final class ServiceNames {
    private static final String UNIT_SUFFIX = ".service";

    private ServiceNames() {}

    /** {@code requested} as the checks name it; unchanged when they list it so, or list no unit it could be. */
    static String asReported(String requested, List<ServiceState> checked) {
        if (checked.stream().anyMatch(service -> service.name().equals(requested))
                || !requested.endsWith(UNIT_SUFFIX) || requested.length() == UNIT_SUFFIX.length()) {
            return requested;
        }
        String bare = requested.substring(0, requested.length() - UNIT_SUFFIX.length());
        List<ServiceState.Kind> kinds = checked.stream().filter(service -> service.name().equals(bare))
                .map(ServiceState::kind).toList();
        // A process watched under the same bare name makes it ambiguous: left for the agent to resolve or refuse.
        return kinds.equals(List.of(ServiceState.Kind.SYSTEMD)) ? bare : requested;
    }
}
