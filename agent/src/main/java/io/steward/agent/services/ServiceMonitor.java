package io.steward.agent.services;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the configured services every interval and sends their states to the node; carries out the node's
 * service commands — only for services a backend {@link ServiceBackend#owns owns}, refusing (and saying so) anything
 * else. Checks and commands run on threads of their own, never on the link's.
 */
public final class ServiceMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceMonitor.class);
    public static final int MAX_LOG_LINES = 1000;

    /** Replaced on a config reload, on the commands thread, so never under a running command. */
    private volatile List<ServiceBackend> backends;
    /** Whether the last check sent an empty list: after every service was removed, once is enough. */
    private boolean reportedNone;
    private final Consumer<AgentMessage> send;
    private final ScheduledExecutorService checks;
    private final ExecutorService commands;
    /** Guards {@link #schedule}: a separate lock, so a reschedule never waits for a check in progress. */
    private final Object scheduling = new Object();
    private ScheduledFuture<?> schedule;
    /**
     * Guards {@link #actionMarks} and every send of a check or an action's result: they reach the node in the order
     * they were decided under it. Never held while a check reads or an action acts.
     */
    private final Object order = new Object();
    /** Per service, how many times an action began or ended on it: odd while one runs. */
    private final Map<String, Long> actionMarks = new HashMap<>();

    public ServiceMonitor(List<ServiceBackend> backends, Consumer<AgentMessage> send) {
        this.backends = List.copyOf(backends);
        this.send = send;
        this.checks = Executors.newSingleThreadScheduledExecutor(daemon("steward-service-checks"));
        // One at a time: two actions on one service at once (a person's restart racing the policy's) could leave
        // two instances running.
        this.commands = Executors.newSingleThreadExecutor(daemon("steward-service-commands"));
    }

    public void start(Duration interval) {
        synchronized (scheduling) {
            schedule = checks.scheduleWithFixedDelay(this::checkNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Checks every {@code interval} from now on (the agent's collection interval changed), the next check one new
     * interval from now. Ignored before {@link #start} and after {@link #close}.
     */
    public void interval(Duration interval) {
        synchronized (scheduling) {
            if (schedule == null || checks.isShutdown()) {
                return;
            }
            schedule.cancel(false);
            try {
                schedule = checks.scheduleWithFixedDelay(this::checkNow, interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile: nothing left to check.
            }
        }
    }

    /** Checks every service and sends the result (also right after an action, so the node sees it at once). */
    public synchronized void checkNow() {
        try {
            List<ServiceBackend> backends = this.backends;
            if (backends.isEmpty() && reportedNone) {
                return;
            }
            reportedNone = backends.isEmpty();
            Map<String, Long> marksBefore;
            synchronized (order) {
                marksBefore = Map.copyOf(actionMarks);
            }
            List<ServiceState> states = new ArrayList<>();
            for (ServiceBackend backend : backends) {
                states.addAll(backend.check());
            }
            Instant checkedAt = Instant.now();
            synchronized (order) {
                // A service an action touched while it was read says nothing sure (a "running" read just before a
                // stop, sent after the stop's result, would read as news to the node): sent as unknown, which the
                // node leaves alone; the check the action asks for when it ends tells the outcome.
                List<ServiceState> sure = new ArrayList<>(states.size());
                for (ServiceState state : states) {
                    Long before = marksBefore.get(state.name());
                    Long now = actionMarks.get(state.name());
                    boolean touched = !Objects.equals(before, now) || (now != null && now % 2 == 1);
                    sure.add(touched ? unsure(state) : state);
                }
                send.accept(new AgentMessage.Services(checkedAt, sure));
            }
        } catch (RuntimeException e) {
            log.warn("Service check failed", e);
        }
    }

    /**
     * Watches {@code replacement} from now on (a reloaded services file): swapped after the command in progress, if
     * any, and checked at once, so the node sees the new list without waiting an interval. An empty list is reported
     * once, so the node forgets the services that were removed.
     */
    public void replaceBackends(List<ServiceBackend> replacement) {
        List<ServiceBackend> copy = List.copyOf(replacement);
        commands.execute(() -> {
            backends = copy;
            checks.execute(this::checkNow);
        });
    }

    /**
     * Handles one command from the node, answering with a {@link AgentMessage.CommandResult}. An action that changes
     * a service is marked on it as it begins and ends, so a check reading it meanwhile reports it unknown, and is
     * checked again once its result is sent.
     */
    public void handle(NodeMessage.ServiceCommand command) {
        commands.execute(() -> {
            String marked = markedName(command);
            if (marked != null) {
                mark(marked);
            }
            AgentMessage.CommandResult result = null;
            try {
                result = execute(command);
            } catch (RuntimeException e) {
                log.warn("Command [{}] on [{}] failed", command.action(), command.service(), e);
                result = new AgentMessage.CommandResult(command.commandId(), false, false, "the agent failed: " + e,
                        List.of());
            } finally {
                // Whatever happened, the action has ended: a mark left odd would have every check say "unknown".
                synchronized (order) {
                    if (marked != null) {
                        mark(marked);
                    }
                    if (result != null) {
                        send.accept(result);
                    }
                }
            }
            if (marked != null) {
                try {
                    checks.execute(this::checkNow); // so the node sees the outcome at once
                } catch (RejectedExecutionException e) {
                    // closed meanwhile: nothing left to check
                }
            }
        });
    }

    /** The name checks report a service an action will change under; null for a log read or a service not owned. */
    private String markedName(NodeMessage.ServiceCommand command) {
        if (command.action() == ServiceAction.LOGS || command.service() == null
                || !ServiceState.NAME.matcher(command.service()).matches()) {
            return null;
        }
        for (ServiceBackend backend : backends) {
            if (backend.owns(command.service())) {
                return backend.reportedName(command.service());
            }
        }
        return null;
    }

    private void mark(String service) {
        synchronized (order) {
            actionMarks.merge(service, 1L, Long::sum);
        }
    }

    private static ServiceState unsure(ServiceState state) {
        return new ServiceState(state.name(), state.kind(), ServiceState.Status.UNKNOWN,
                "an action ran on it while it was checked", state.description(), null, null, null, null, null,
                state.controllable());
    }

    AgentMessage.CommandResult execute(NodeMessage.ServiceCommand command) {
        String service = command.service();
        List<ServiceBackend> backends = this.backends;
        ServiceBackend owner = !ServiceState.NAME.matcher(service).matches() ? null
                : backends.stream().filter(backend -> backend.owns(service)).findFirst().orElse(null);
        if (owner == null) {
            log.warn("Refused [{}] for [{}]: not in this agent's service list", command.action(), service);
            return new AgentMessage.CommandResult(command.commandId(), false, true,
                    service + " is not in this agent's service list; nothing was run", List.of());
        }
        int lines = Math.max(1, Math.min(command.lines(), MAX_LOG_LINES));
        ServiceBackend.ActionResult result;
        try {
            result = owner.act(service, command.action(), lines);
        } catch (RuntimeException e) {
            log.warn("Action [{}] on [{}] failed", command.action(), service, e);
            result = ServiceBackend.ActionResult.failed("the agent failed: " + e);
        }
        log.info("[{}] on [{}]: {}", command.action(), service, result.ok() ? "done" : result.message());
        return new AgentMessage.CommandResult(command.commandId(), result.ok(), false, result.message(),
                withinFrame(result.lines()));
    }

    /** Keeps the newest log lines that fit well inside the node's frame limit (1 MiB with JSON escaping). */
    static List<String> withinFrame(List<String> lines) {
        long budget = 256 * 1024;
        int from = lines.size();
        while (from > 0 && budget - lines.get(from - 1).length() - 8 >= 0) {
            budget -= lines.get(from - 1).length() + 8;
            from--;
        }
        return lines.subList(from, lines.size());
    }

    @Override
    public void close() {
        checks.shutdownNow();
        commands.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
