package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.time.Duration;
import java.util.List;

/** How a service command sent to an agent ended (the connection's answer, or the entity's own deadline). */
public record ServiceCommandOutcome(String commandId, Result result, String message, List<String> lines)
        implements CborSerializable {

    public enum Result { DONE, FAILED, REFUSED, TIMED_OUT, NOT_CONNECTED }

    public ServiceCommandOutcome {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * Why a command the agent did not answer timed out. A deadline put off once (this node stood still meanwhile)
     * waited its timeout twice, which the text says.
     */
    public static String noAnswerWithin(Duration timeout, boolean putOff) {
        return putOff
                ? "no answer from the agent within " + timeout.multipliedBy(2).toSeconds()
                        + " s (its deadline was put off once: this node stood still meanwhile)"
                : "no answer from the agent within " + timeout.toSeconds() + " s";
    }
}
