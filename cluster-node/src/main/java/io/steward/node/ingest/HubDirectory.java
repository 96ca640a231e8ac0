package io.steward.node.ingest;

import io.steward.core.protocol.NodeMessage;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The agent endpoints of the cluster's members, for the welcome's hub list. Each node registers a small actor with
 * Pekko's receptionist, named after its own endpoint (URL-encoded); the receptionist's listing drops a member that
 * left or was downed, so the list follows the membership without a table or a poll.
 */
public final class HubDirectory {
    private static final ServiceKey<Object> HUBS = ServiceKey.create(Object.class, "steward-agent-hubs");

    private final String own;
    private volatile List<String> others = List.of();

    private HubDirectory(String own) {
        this.own = own;
    }

    /**
     * Announces {@code ownEndpoint} ({@code wss://host:port/ws/agent}) to the cluster and follows the others'.
     */
    public static HubDirectory start(ActorSystem<?> system, String ownEndpoint) {
        HubDirectory directory = new HubDirectory(ownEndpoint);
        String name = "agent-hub-" + URLEncoder.encode(ownEndpoint, StandardCharsets.UTF_8);
        system.systemActorOf(Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(HUBS, context.getSelf().unsafeUpcast()));
            return Behaviors.ignore();
        }), name, Props.empty());
        ActorRef<Receptionist.Listing> follower = system.systemActorOf(directory.follower(), "agent-hub-listing",
                Props.empty());
        system.receptionist().tell(Receptionist.subscribe(HUBS, follower));
        return directory;
    }

    private Behavior<Receptionist.Listing> follower() {
        return Behaviors.receive(Receptionist.Listing.class)
                .onMessage(Receptionist.Listing.class, listing -> {
                    List<String> endpoints = new ArrayList<>();
                    for (ActorRef<Object> hub : listing.getServiceInstances(HUBS)) {
                        String endpoint = URLDecoder.decode(hub.path().name().substring("agent-hub-".length()),
                                StandardCharsets.UTF_8);
                        if (!endpoint.equals(own) && !endpoints.contains(endpoint)) {
                            endpoints.add(endpoint);
                        }
                    }
                    endpoints.sort(String::compareTo);
                    others = List.copyOf(endpoints);
                    return Behaviors.same();
                })
                .build();
    }

    /** This node's endpoint first, then the other members' (sorted), at most as many as a welcome carries. */
    public List<String> hubs() {
        List<String> hubs = new ArrayList<>(others.size() + 1);
        hubs.add(own);
        hubs.addAll(others);
        return hubs.size() <= NodeMessage.Welcome.MAX_HUBS ? hubs : hubs.subList(0, NodeMessage.Welcome.MAX_HUBS);
    }
}
