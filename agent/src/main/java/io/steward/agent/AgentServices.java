package io.steward.agent;

import static java.util.Objects.requireNonNull;

import io.steward.agent.link.Link;
import io.steward.agent.services.CommandRunner;
import io.steward.agent.services.ProcessCommandRunner;
import io.steward.agent.services.ServiceBackend;
import io.steward.agent.services.ServiceMonitor;
import io.steward.agent.services.ServicesConfig;
import io.steward.agent.services.process.SupervisedProcesses;
import io.steward.agent.services.systemd.SystemdBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services an agent watches and controls, from its services file: none until there is one, and replaced as a
 * whole when a reload brings another list. The monitor is made on first need and kept, so a reload never interrupts
 * a command it is carrying out.
 */
final class AgentServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServices.class);
    /** Below the node's command timeout (45 s), so the node hears the real outcome, not a timeout. */
    private static final Duration SYSTEMD_TIMEOUT = Duration.ofSeconds(30);

    private final Link link;
    /** How often the monitor checks: the agent's collection interval, followed when it changes. */
    private Duration interval;
    private final CommandRunner runner = new ProcessCommandRunner();
    private ServiceMonitor monitor;
    private ServicesConfig config;
    private boolean closed;

    AgentServices(Link link, Duration interval) {
        this.link = requireNonNull(link, "link is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    /** Checks the services every {@code next} from now on: the agent's collection interval changed. */
    synchronized void interval(Duration next) {
        interval = requireNonNull(next, "next is null");
        if (monitor != null && !closed) {
            monitor.interval(next);
        }
    }

    /** The services in force, or null when the agent has no services file. */
    synchronized ServicesConfig config() {
        return config;
    }

    /**
     * Makes the backends for {@code next} (null: no services); throws {@link IllegalArgumentException} for a list
     * they refuse (a unit name systemd would not take), before anything changes.
     */
    Prepared prepare(ServicesConfig next, Path file) {
        return new Prepared(next, file, next == null ? List.of() : backends(next));
    }

    /** Services ready to take over: nothing runs until {@link #commit()}. */
    final class Prepared {
        private final ServicesConfig next;
        private final Path file;
        private final List<ServiceBackend> backends;

        private Prepared(ServicesConfig next, Path file, List<ServiceBackend> backends) {
            this.next = next;
            this.file = file;
            this.backends = backends;
        }

        void commit() {
            synchronized (AgentServices.this) {
                if (closed) {
                    return;
                }
                if (monitor == null) {
                    if (backends.isEmpty()) {
                        config = next;
                        return;
                    }
                    monitor = new ServiceMonitor(backends, link::sendLive);
                    link.onServiceCommand(monitor::handle);
                    monitor.start(interval);
                } else {
                    monitor.replaceBackends(backends);
                }
                config = next;
            }
            if (next == null) {
                log.info("Watching no services");
            } else {
                log.info("Watching [{}] systemd units{} and [{}] supervised processes from [{}]",
                        next.systemd().size(), next.discoverSystemd() ? " (and discovering the rest)" : "",
                        next.processes().size(), file);
            }
        }
    }

    private List<ServiceBackend> backends(ServicesConfig config) {
        List<ServiceBackend> backends = new ArrayList<>();
        if (!config.systemd().isEmpty() || config.discoverSystemd()) {
            backends.add(new SystemdBackend(config.systemd(), config.discoverSystemd(), runner, SYSTEMD_TIMEOUT));
        }
        if (!config.processes().isEmpty()) {
            backends.add(new SupervisedProcesses(config.processes(), runner));
        }
        return backends;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (monitor != null) {
            monitor.close();
        }
    }
}
