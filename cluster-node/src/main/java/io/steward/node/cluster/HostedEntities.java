package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import io.steward.node.checks.CheckEntity;
import io.steward.node.server.ServerEntity;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** The sharded entity types whose placement the view shows, each with the name the API and the history use. */
public record HostedEntities(List<Type> types) {
    /** Steward's own: one entity per monitored server, one per URL/TCP/TLS/DNS check. */
    public static final HostedEntities STEWARD = new HostedEntities(List.of(
            new Type("server", ServerEntity.TYPE_KEY), new Type("check", CheckEntity.TYPE_KEY)));

    public HostedEntities {
        types = List.copyOf(types);
    }

    /** @param name singular, lower case: "server" */
    public record Type(String name, EntityTypeKey<?> key) {
        public Type {
            requireNonNull(name, "name is null");
            requireNonNull(key, "key is null");
        }
    }
}
