package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link Link} needs to know.
 *
 * @param hubs the configured hubs (at least one): the first is tried first, the others in this agent's order
 *     ({@link HubOrder})
 * @param rememberHubs whether the hubs a welcome names are remembered in the state directory and tried after these
 * @param enrollmentToken used only while no credential is saved; may be null when one is
 * @param window how many reports may be sent ahead of the oldest unacknowledged one
 * @param healthyAfter a connection welcomed this long ago resets the reconnect backoff
 * @param credentialRotation a saved credential older than this is exchanged for a new one after a welcome
 */
public record LinkSettings(
        List<URI> hubs,
        boolean rememberHubs,
        String agentVersion,
        String hostname,
        String machineId,
        String enrollmentToken,
        Backoff reconnectBackoff,
        int window,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration ackTimeout,
        Duration healthyAfter,
        Duration credentialRotation) {
    public LinkSettings {
        hubs = List.copyOf(requireNonNull(hubs, "hubs is null"));
        if (hubs.isEmpty()) {
            throw new IllegalArgumentException("hubs must not be empty");
        }
        requireNonNull(agentVersion, "agentVersion is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(handshakeTimeout, "handshakeTimeout is null");
        requireNonNull(ackTimeout, "ackTimeout is null");
        requireNonNull(healthyAfter, "healthyAfter is null");
        requireNonNull(credentialRotation, "credentialRotation is null");
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive");
        }
    }

    /** How often the acknowledgement deadline is checked: a quarter of it (so it is missed by at most that much). */
    Duration ackCheckPeriod() {
        Duration quarter = ackTimeout.dividedBy(4);
        return quarter.isZero() ? ackTimeout : quarter;
    }
}
