package io.steward.node.server;

import io.steward.core.alerting.DefaultRules;
import io.steward.core.services.RecoveryPolicy;
import io.steward.core.services.ServiceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The restart policy's decisions for one service, without an actor: what a service check means (went down, came
 * back, restart now, the restart did not work), and what a failed attempt leads to. {@link ServiceHandler} carries
 * them out: persists the events, sends the restart, arms the timers.
 */
final class RecoveryDecisions {
    private RecoveryDecisions() {}

    /**
     * What the entity knows about the service beyond its book.
     *
     * @param autoRestart whether the policy may restart it
     * @param connected whether the agent's connection is known (a restart can be sent now)
     * @param personActing a person's start/stop/restart is in flight: people go first
     * @param restartAwaited the in-flight restart was sent by this incarnation and its answer is awaited
     * @param confirmBy the restart succeeded and a check must show the service running by then; null if not
     */
    record Situation(boolean autoRestart, boolean connected, boolean personActing, boolean restartAwaited,
            Instant confirmBy) {}

    /**
     * What one check decided.
     *
     * @param phase the recovery phase once {@code events} apply (what the alert samples show)
     * @param restartCommandId a restart to send now under this id, or null
     * @param confirmed the awaited confirmation is settled (running again, or given up on)
     * @param abandonInFlight the in-flight restart's answer is no longer awaited
     */
    record Decision(List<ServiceEvent> events, ServiceBook.Phase phase, String restartCommandId, boolean confirmed,
            boolean abandonInFlight) {}

    /** What the check {@code service} means for a service whose recovery stands at {@code recovery}. */
    static Decision onCheck(ServiceState service, ServiceBook.Recovery recovery, Situation situation,
            RecoveryPolicy policy, Instant now, Supplier<String> commandIds) {
        String name = service.name();
        List<ServiceEvent> events = new ArrayList<>(2);
        ServiceBook.Phase phase = recovery.phase();
        if (service.status() != ServiceState.Status.DOWN) {
            if (phase == ServiceBook.Phase.HELD && situation.personActing()) {
                // Running, said by a check from before the person's stop that is still on its way (it ran a moment
                // ago): ending the hold here let the next check's "down" start the policy and undo the stop.
                return new Decision(events, phase, null, true, false);
            }
            if (service.status() == ServiceState.Status.RUNNING
                    && (phase != ServiceBook.Phase.IDLE || recovery.downSince() != null)) {
                events.add(new ServiceEvent.Recovered(name, recovery.attempts(), now));
                phase = ServiceBook.Phase.IDLE;
            }
            return new Decision(events, phase, null, true, false);
        }
        if (phase == ServiceBook.Phase.IDLE && recovery.downSince() == null) {
            events.add(new ServiceEvent.WentDown(name, service.detail(), now));
            // A person acting on it right now (or the agent not connected) goes first: no policy restart.
            if (service.controllable() && situation.autoRestart() && !situation.personActing()
                    && situation.connected()) {
                if (policy.flapping(recovery.restarts(), now)) {
                    events.add(new ServiceEvent.Flapping(name, policy.withinWindow(recovery.restarts(), now).size(),
                            now));
                    return new Decision(events, ServiceBook.Phase.FLAPPING, null, false, false);
                }
                String commandId = commandIds.get();
                events.add(new ServiceEvent.RestartAttempted(name, 1, commandId, now));
                return new Decision(events, ServiceBook.Phase.IN_FLIGHT, commandId, false, false);
            }
            return new Decision(events, phase, null, false, false);
        }
        if (phase == ServiceBook.Phase.IN_FLIGHT) {
            String reason = null;
            if (!situation.restartAwaited() && situation.confirmBy() == null) {
                // Sent by an earlier incarnation (node restart, rebalance): its answer is lost. It is not sent again
                // blindly; it counts as a failed attempt and the policy goes on.
                reason = "no answer: the node restarted while the restart was in flight";
            } else if (situation.confirmBy() != null && now.isAfter(situation.confirmBy())) {
                reason = "the restart command succeeded but the service is still down";
            }
            if (reason != null) {
                ServiceEvent failed = attemptFailed(name, recovery.attempts(), reason, false, policy, now);
                events.add(failed);
                return new Decision(events, failed instanceof ServiceEvent.RecoveryGaveUp
                        ? ServiceBook.Phase.GAVE_UP : ServiceBook.Phase.WAITING, null, true, true);
            }
        }
        return new Decision(events, phase, null, false, false);
    }

    /** The next attempt after a failed one, or giving up after the last (or at once when the agent refuses). */
    static ServiceEvent attemptFailed(String service, int attempt, String reason, boolean refused,
            RecoveryPolicy policy, Instant now) {
        if (refused || !policy.mayRetry(attempt)) {
            return new ServiceEvent.RecoveryGaveUp(service, attempt, reason, now);
        }
        return new ServiceEvent.RestartFailed(service, attempt, reason, now.plus(policy.delayBefore(attempt + 1)), now);
    }

    /** Whether the series is fed by service checks rather than by metric reports. */
    static boolean isServiceSeries(String series) {
        return series.startsWith(DefaultRules.SERVICE_DOWN + "{")
                || series.startsWith(DefaultRules.SERVICE_RECOVERY_FAILED + "{");
    }
}
