package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a server's agent allows for backups ({@code --backups FILE}) and the public key it backs up with, as it said
 * after its last welcome. Shown beside the jobs; the agent itself is what enforces the lists.
 */
public record AgentBackups(boolean enabled, @Nullable String publicKey, List<String> allowSources,
        List<String> allowDestinations, @Nullable String rsyncVersion) implements CborSerializable {
    public static final AgentBackups UNKNOWN = new AgentBackups(false, null, List.of(), List.of(), null);

    public AgentBackups {
        allowSources = allowSources == null ? List.of() : List.copyOf(allowSources);
        allowDestinations = allowDestinations == null ? List.of() : List.copyOf(allowDestinations);
    }

    /**
     * The {@code authorized_keys} line for a destination directory: the agent's key, allowed to run rsync into
     * {@code path} only (rrsync), with every other SSH feature off.
     */
    public @Nullable String authorizedKeysLine(String path) {
        return publicKey == null ? null : "command=\"/usr/bin/rrsync " + path + "\",restrict " + publicKey;
    }
}
