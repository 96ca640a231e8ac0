package io.steward.node.http;

import io.steward.core.tls.CertificatePin;
import io.steward.node.ingest.HubDirectory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What a new agent is told to trust and where to go: every member's agent endpoint, this node's (as the admin reached
 * it) first, and with self-signed nodes every pin. A CA-issued certificate needs no pin (a private CA: --ca-file).
 * Shared by the enrollment command and the SSH install.
 */
record AgentEndpoints(List<String> hubs, List<String> pins) {
    /** As many hubs as an agent's {@code --hub} takes (its {@code AgentSettings.MAXIMUM_HUBS}). */
    static final int MAX_HUBS = 16;

    static AgentEndpoints of(ApiContext context, String hub) {
        Optional<CertificatePin> pin = context.address().selfSignedPin();
        LinkedHashSet<String> hubs = new LinkedHashSet<>(List.of(hub));
        LinkedHashSet<String> pins = new LinkedHashSet<>();
        pin.ifPresent(own -> pins.add(own.toString()));
        for (HubDirectory.AgentHub other : context.otherAgentHubs().get()) {
            if (hubs.size() < MAX_HUBS && hubs.add(other.endpoint()) && pin.isPresent()) {
                other.pin().ifPresent(otherPin -> pins.add(otherPin.toString()));
            }
        }
        return new AgentEndpoints(List.copyOf(hubs), List.copyOf(pins));
    }
}
