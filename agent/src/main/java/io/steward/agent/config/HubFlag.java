package io.steward.agent.config;

import io.steward.agent.AgentSettings;
import io.steward.agent.config.SettingsParser.Value;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** The {@code hub} flag: one node's agent endpoint, or several separated by commas. */
final class HubFlag {
    private HubFlag() {}

    /**
     * The comma-separated hubs, each checked; a message names the flag (or file line) and, in a list, the entry.
     * Duplicates are dropped, keeping the first.
     */
    static List<URI> parse(Value hub) throws SettingsException {
        if (hub == null || hub.text().isBlank()) {
            throw new SettingsException("--hub is required, e.g. --hub ws://10.0.0.5:8080/ws/agent");
        }
        String[] entries = hub.text().split(",", -1);
        List<URI> hubs = new ArrayList<>();
        for (int number = 1; number <= entries.length; number++) {
            String entry = entries[number - 1].strip();
            String name = entries.length == 1 ? hub.origin() : hub.origin() + " entry " + number;
            if (entry.isEmpty()) {
                throw new SettingsException(name + " is empty (hubs are separated by single commas)");
            }
            URI uri;
            try {
                uri = new URI(entry);
                AgentSettings.checkHub(name, uri);
            } catch (URISyntaxException e) {
                throw new SettingsException(name + " is not a valid address: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new SettingsException(e.getMessage());
            }
            if (!hubs.contains(uri)) {
                hubs.add(uri);
            }
        }
        if (hubs.size() > AgentSettings.MAXIMUM_HUBS) {
            throw new SettingsException(hub.origin() + " lists " + hubs.size() + " hubs, at most "
                    + AgentSettings.MAXIMUM_HUBS);
        }
        return hubs;
    }
}
