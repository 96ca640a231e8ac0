package io.steward.node.server;

/**
 * Where server entities announce summary changes to whoever watches the whole fleet (the overview page). The node
 * backs it with a cluster-wide pub-sub topic, so a browser on one node sees servers whose entities live on another.
 * Only {@link ServerUpdate.Changed} and {@link ServerUpdate.Removed} travel here: full reports go to the subscribers
 * of one server only.
 */
@FunctionalInterface
public interface FleetFeed {
    void publish(ServerUpdate update);

    FleetFeed NONE = update -> {};
}
