package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.util.List;

/** How a service command sent to an agent ended (the connection's answer, or the entity's own deadline). */
public record ServiceCommandOutcome(String commandId, Result result, String message, List<String> lines)
        implements CborSerializable {

    public enum Result { DONE, FAILED, REFUSED, TIMED_OUT, NOT_CONNECTED }

    public ServiceCommandOutcome {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
