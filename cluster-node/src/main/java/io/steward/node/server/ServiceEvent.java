package io.steward.node.server;

import io.steward.core.services.ServiceAction;
import java.time.Instant;

/**
 * A service the agent watches changed, or the restart policy or a person acted on it; applies to {@link ServiceBook}.
 */
public sealed interface ServiceEvent extends ServerEvent {

    /** The service the fact is about. */
    String service();

    record WentDown(String service, String detail, Instant at) implements ServiceEvent {}

    /** Running again; {@code attempts} restarts it took (0 = it came back by itself). */
    record Recovered(String service, int attempts, Instant at) implements ServiceEvent {}

    record RestartAttempted(String service, int attempt, String commandId, Instant at) implements ServiceEvent {}

    /** {@code nextAttemptAt} is when the next attempt is due. */
    record RestartFailed(String service, int attempt, String reason, Instant nextAttemptAt, Instant at)
            implements ServiceEvent {}

    record RecoveryGaveUp(String service, int attempts, String reason, Instant at) implements ServiceEvent {}

    record Flapping(String service, int restartsInWindow, Instant at) implements ServiceEvent {}

    record ActionRequested(String service, ServiceAction action, String by, String commandId, Instant at)
            implements ServiceEvent {}

    /** {@code result}: done, failed, refused, timed-out, not-connected, or lost (the node restarted meanwhile). */
    record ActionCompleted(String service, ServiceAction action, String result, String message, String by,
            String commandId, Instant at) implements ServiceEvent {}

    record AutoRestartChanged(String service, boolean enabled, String by, Instant at) implements ServiceEvent {}
}
