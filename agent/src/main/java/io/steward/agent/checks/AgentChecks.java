package io.steward.agent.checks;

import static java.util.Objects.requireNonNull;

import io.steward.agent.link.CheckFrames;
import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckResult;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of one agent as the link sees them: assignments go to the scheduler (or are refused whole when the
 * operator turned checks off), run-now requests to the scheduler, results through the reference state into the
 * {@link ResultBatcher}, whose due frames the link pulls. The probe engine (its threads, the JDK's trust store) is
 * set up on the first assignment that has a check, so an agent that is never assigned one stays as small as before.
 */
public final class AgentChecks implements CheckFrames, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentChecks.class);

    private final CheckOptions options;
    private final String userAgent;
    private final ResultBatcher batcher;
    /** Null until the first assignment with a check (always with checks off), and again once closed. */
    private Engine engine;
    private boolean closed;
    private volatile int assigned;
    private volatile int refused;

    /** What the checks are doing now, for the agent's status. */
    public record Status(boolean enabled, int assigned, int refused, Boolean referenceReachable,
            ResultBatcher.Counts frames) {}

    /** The running parts: the prober, the scheduler over it, and the reference (if configured). */
    private record Engine(Prober prober, Checks checks, ReferenceProbe reference) {
        void close() {
            checks.close();
            if (reference != null) {
                reference.close();
            }
            prober.close();
        }
    }

    /**
     * @param connected whether the link is connected (results are dropped otherwise)
     * @param due tells the link a check-results frame is due
     * @param scheduler the agent's shared scheduler, for the batching timer
     * @param userAgent the User-Agent header of HTTP checks
     */
    public AgentChecks(CheckOptions options, BooleanSupplier connected, Runnable due,
            ScheduledExecutorService scheduler, String userAgent) {
        this.options = requireNonNull(options, "options is null");
        this.userAgent = requireNonNull(userAgent, "userAgent is null");
        this.batcher = new ResultBatcher(connected, this::referenceReachable, due, scheduler);
    }

    @Override
    public void assign(List<AssignedCheck> list) {
        List<String> refusedIds;
        synchronized (this) {
            if (!options.enabled() || closed) {
                refusedIds = list.stream().map(AssignedCheck::id).toList();
                if (!refusedIds.isEmpty() && !closed) {
                    log.info("Refused [{}] assigned checks: checks are off on this agent", refusedIds.size());
                }
                assigned = 0;
            } else {
                if (engine == null && !list.isEmpty()) {
                    engine = start();
                }
                if (engine == null) {
                    refusedIds = List.of();
                    assigned = 0;
                } else {
                    Checks.Assignment assignment = engine.checks().assign(list);
                    refusedIds = assignment.refused();
                    assigned = assignment.scheduled().size();
                    if (engine.reference() != null) {
                        engine.reference().watch(!assignment.scheduled().isEmpty());
                    }
                }
            }
        }
        refused = refusedIds.size();
        batcher.refused(refusedIds);
    }

    /** Sets up the engine: a one-time cost of some milliseconds (mostly reading the JDK's trust store). */
    private Engine start() {
        ChecksSettings settings = options.engine();
        Prober prober = new Prober(settings, userAgent, options.resolver(), TlsInspector.systemTrust());
        ReferenceProbe reference = options.reference() == null ? null : new ReferenceProbe(options.reference(),
                prober);
        Checks checks = new Checks(settings, prober, this::resultOf);
        log.info("Running checks: at most [{}], [{}] at a time, reference [{}]", settings.maxChecks(),
                settings.concurrency(), options.reference() == null ? "none" : options.reference());
        return new Engine(prober, checks, reference);
    }

    @Override
    public void runNow(List<String> ids) {
        Engine running;
        synchronized (this) {
            running = engine;
        }
        if (running != null) {
            ids.forEach(running.checks()::runNow);
        }
    }

    @Override
    public String nextFrame() {
        return batcher.nextFrame();
    }

    public Status status() {
        return new Status(options.enabled(), assigned, refused, referenceReachable(), batcher.counts());
    }

    private synchronized Boolean referenceReachable() {
        return engine == null || engine.reference() == null ? null : engine.reference().reachable();
    }

    private void resultOf(CheckResult result) {
        ReferenceProbe reference;
        synchronized (this) {
            reference = engine == null ? null : engine.reference();
        }
        if (!result.up() && reference != null) {
            reference.checkFailed();
        }
        batcher.add(result);
    }

    /** Stops every check and probe; results still buffered are dropped. */
    @Override
    public synchronized void close() {
        closed = true;
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
