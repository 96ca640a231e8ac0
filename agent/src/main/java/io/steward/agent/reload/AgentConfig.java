package io.steward.agent.reload;

import static java.util.Objects.requireNonNull;

import io.steward.agent.AgentSettings;
import io.steward.agent.config.SettingsException;
import io.steward.agent.config.SettingsParser;
import io.steward.agent.logging.LogOptions;
import io.steward.agent.services.ServicesConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The standalone agent's whole configuration as read: its settings, its logging and the content of its services
 * file, which a reload compares with what is running.
 *
 * @param services the services file's list, or null when {@code settings} names no services file
 */
public record AgentConfig(AgentSettings settings, LogOptions logging, ServicesConfig services) {
    public AgentConfig {
        requireNonNull(settings, "settings is null");
        requireNonNull(logging, "logging is null");
    }

    /**
     * Reads the configuration again as the agent was started with it: the same command line and environment, the
     * config file and the services file as they are now.
     *
     * @throws SettingsException naming the key, file and line, or the services file's mistake
     */
    public static AgentConfig read(List<String> args, Map<String, String> environment) throws SettingsException {
        if (!(SettingsParser.parse(args, environment) instanceof SettingsParser.Run run)) {
            throw new SettingsException("the command line does not start an agent");
        }
        ServicesConfig services = null;
        if (run.settings().servicesFile() != null) {
            try {
                services = ServicesConfig.load(run.settings().servicesFile());
            } catch (IOException e) {
                throw new SettingsException("services: " + e.getMessage());
            }
        }
        return new AgentConfig(run.settings(), run.logging(), services);
    }
}
