package io.steward.agent.reload;

import static java.util.Objects.requireNonNull;

import io.steward.agent.Agent;
import io.steward.agent.config.SettingsException;
import io.steward.agent.logging.AgentLogging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the standalone agent's configuration: reads it again, {@link ReloadPlan decides} what changes, prepares
 * every change that can fail (the new log file opened, the new services' backends made) and only then applies them
 * all. A configuration that does not read, or a change that cannot be prepared, is refused as a whole with one log
 * line, and the running configuration stays.
 */
public final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** Reads the configuration as it is now. */
    @FunctionalInterface
    public interface Source {
        AgentConfig read() throws SettingsException;
    }

    /** What a reload did. */
    public sealed interface Outcome permits Refused, Unchanged, Applied {}

    /** The configuration could not be read or applied: nothing changed. */
    public record Refused(String reason) implements Outcome {}

    /** The configuration read is the running one. */
    public record Unchanged() implements Outcome {}

    /** The plan's live changes were applied. */
    public record Applied(ReloadPlan plan) implements Outcome {}

    private final Source source;
    private final Agent agent;
    private final AgentLogging logging;
    private final Path configFile;

    /** @param configFile the {@code --config} file, or null: watched for changes beside the services file */
    public ConfigReloader(Source source, Agent agent, AgentLogging logging, Path configFile) {
        this.source = requireNonNull(source, "source is null");
        this.agent = requireNonNull(agent, "agent is null");
        this.logging = requireNonNull(logging, "logging is null");
        this.configFile = configFile;
    }

    /** The files whose change should reload: the config file and the services file in force. */
    public List<Path> watchedFiles() {
        List<Path> files = new ArrayList<>(2);
        if (configFile != null) {
            files.add(configFile);
        }
        Path services = agent.settings().servicesFile();
        if (services != null) {
            files.add(services);
        }
        return files;
    }

    /** Reloads now; {@code trigger} ({@code SIGHUP}, {@code file change}) is named in the log lines. */
    public synchronized Outcome reload(String trigger) {
        AgentConfig running = new AgentConfig(agent.settings(), logging.options(), agent.services());
        AgentConfig reloaded;
        try {
            reloaded = source.read();
        } catch (SettingsException | RuntimeException e) {
            return refused(trigger, e.getMessage());
        }
        ReloadPlan plan = ReloadPlan.between(running, reloaded);
        AgentLogging.Prepared newLogging;
        try {
            // Opened again even when unchanged: after logrotate moved the file away, SIGHUP starts a new one.
            newLogging = logging.prepare(plan.next().logging());
        } catch (IOException e) {
            return refused(trigger, "log-file: " + e.getMessage());
        }
        Agent.Reconfiguration agentChanges;
        try {
            agentChanges = agent.prepare(plan.next().settings(), plan.next().services(), plan.servicesChanged());
        } catch (RuntimeException e) {
            newLogging.discard();
            return refused(trigger, "services: " + e.getMessage());
        }
        agentChanges.commit();
        if (plan.changesNothing()) {
            log.info("Config reloaded ({}): nothing changed", trigger);
        }
        for (ReloadPlan.Change change : plan.applied()) {
            log.info("Config reloaded ({}): {}", trigger, change);
        }
        for (ReloadPlan.Change change : plan.needsRestart()) {
            log.warn("Config reloaded ({}): {} needs a restart; {} stays in force until then", trigger, change,
                    change.running());
        }
        // Last, so the lines above still reach the old destination at the old level.
        newLogging.commit();
        return plan.changesNothing() ? new Unchanged() : new Applied(plan);
    }

    private static Outcome refused(String trigger, String reason) {
        log.error("Config reload ({}) refused, the running config stays: {}", trigger, reason);
        return new Refused(reason);
    }
}
