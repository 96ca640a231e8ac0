package io.steward.node.checks;

import io.steward.core.checks.CheckResult;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.jspecify.annotations.Nullable;

/** What a check's entity is asked or told. */
public sealed interface CheckCommand extends CborSerializable {

    /** Creates the check ({@code create}: refused if it exists) or replaces its definition and group. */
    record Define(CheckSpec spec, boolean create, String by, ActorRef<StatusReply<CheckView>> replyTo)
            implements CheckCommand {}

    record Delete(String by, ActorRef<StatusReply<Done>> replyTo) implements CheckCommand {}

    record Get(ActorRef<StatusReply<CheckView>> replyTo) implements CheckCommand {}

    /**
     * Results from one vantage, oldest first; {@code referenceReachable} false makes its votes abstentions.
     */
    record Record(String vantage, List<CheckResult> results, boolean referenceReachable) implements CheckCommand {
        public Record {
            results = List.copyOf(results);
        }
    }

    /** The servers the check runs from now (resolved from its vantage selection by the node). */
    record AssignVantages(List<String> vantages) implements CheckCommand {
        public AssignVantages {
            vantages = List.copyOf(vantages);
        }
    }

    /** Someone has seen an alert of this check. */
    record Acknowledge(String key, String by, @Nullable String comment,
            ActorRef<StatusReply<ActiveAlert>> replyTo) implements CheckCommand {}

    /** Starts the entity after a restart (its timer re-judges staleness and maintenance windows). */
    record Wake() implements CheckCommand {}

    /**
     * The entity's own check after it started with no live definition: still undefined or deleted, it passivates.
     */
    record ForgetIfUnknown() implements CheckCommand {}

    /** The entity's own timer: judges again (results went stale, a maintenance window opened or closed). */
    record Tick() implements CheckCommand {}
}
