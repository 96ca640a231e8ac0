package io.steward.agent.config;

import io.steward.agent.AgentSettings;
import io.steward.agent.config.SettingsParser.Value;
import io.steward.core.tls.CertificatePin;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pin-sha256} flag: one node certificate's SHA-256 fingerprint, or several separated by commas (one per
 * node of a cluster whose nodes serve self-signed certificates; a certificate matching any of them is accepted).
 */
final class PinFlag {
    private PinFlag() {}

    /** The pins, each checked (a message names the flag or file line and, in a list, the entry); duplicates dropped. */
    static List<CertificatePin> parse(Value pin) throws SettingsException {
        String[] entries = pin.text().split(",", -1);
        List<CertificatePin> pins = new ArrayList<>();
        for (int number = 1; number <= entries.length; number++) {
            String entry = entries[number - 1].strip();
            String name = entries.length == 1 ? pin.origin() : pin.origin() + " entry " + number;
            if (entry.isEmpty()) {
                throw new SettingsException(name + " is empty (pins are separated by single commas)");
            }
            CertificatePin parsed;
            try {
                parsed = CertificatePin.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new SettingsException(name + ": " + e.getMessage());
            }
            if (!pins.contains(parsed)) {
                pins.add(parsed);
            }
        }
        if (pins.size() > AgentSettings.MAXIMUM_HUBS) {
            throw new SettingsException(pin.origin() + " lists " + pins.size() + " pins, at most "
                    + AgentSettings.MAXIMUM_HUBS + " (one per hub)");
        }
        return pins;
    }
}
