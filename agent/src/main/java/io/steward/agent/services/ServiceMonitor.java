package io.steward.agent.services;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
            List<ServiceState> states = new ArrayList<>();
            for (ServiceBackend backend : backends) {
                states.addAll(backend.check());
            }
            send.accept(new AgentMessage.Services(Instant.now(), states));
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
     * a service runs under the checks' lock: a check that read the service before it is sent before its result, never
     * after, where the node would read a "running" from before a person's stop as news and let the policy undo it.
     */
    public void handle(NodeMessage.ServiceCommand command) {
        commands.execute(() -> {
            if (command.action() == ServiceAction.LOGS) {
                send.accept(execute(command)); // reads only: no need to hold the checks up
                return;
            }
            synchronized (this) {
                send.accept(execute(command));
            }
        });
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
        if (command.action() != ServiceAction.LOGS) {
            checks.execute(this::checkNow);
        }
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
