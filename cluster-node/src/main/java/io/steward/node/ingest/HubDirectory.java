package io.steward.node.ingest;

import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.NodeMessage;
import io.steward.core.tls.CertificatePin;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The agent endpoints of the cluster's members, for the welcome's hub list and the enrollment command. Each node
 * registers a small actor with Pekko's receptionist whose name carries its endpoint and, when it serves a self-signed
 * certificate, that certificate's pin (an agent pinning certificates needs one per node to fail over). The
 * receptionist's listing drops a member that left, was downed or is unreachable, so the list follows the membership
 * without a table or a poll. Every node registers, one without an endpoint of its own too, so that a member missing
 * from the listing is known to be one whose announcement has not arrived yet.
 *
 * <p>A welcome replaces the hubs its agent remembers. Right after a node starts (or another joins) the listing lags
 * the membership by a gossip round or more, and a welcome then would name fewer hubs than there are: the agent would
 * forget the others. So a welcome names nothing (which an agent takes as "keep what you have") until every reachable
 * up member's announcement is known. The rule needs no timer and is right at any moment; while a member stays
 * unannounced (still starting) agents simply keep their lists.
 */
public final class HubDirectory {
    private static final ServiceKey<Object> HUBS = ServiceKey.create(Object.class, "steward-agent-hubs-2");
    private static final String PREFIX = "agent-hub-";
    /** Never in a URL-encoded endpoint, allowed in an actor name: separates the endpoint from the pin. */
    private static final char PIN_SEPARATOR = '~';

    /** One node's agent endpoint ({@code wss://host:port/ws/agent}) and, if self-signed, its certificate's pin. */
    public record AgentHub(String endpoint, Optional<CertificatePin> pin) {
        public AgentHub {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(pin, "pin is null");
        }
    }

    /** The endpoints of {@code hubs}, in order: what a welcome's {@code hubs} carries. */
    public static List<String> endpoints(List<AgentHub> hubs) {
        return hubs.stream().map(AgentHub::endpoint).toList();
    }

    /** Each of {@code hubs} that has a pin, by endpoint: what a welcome's {@code hubPins} carries. */
    public static java.util.Map<String, String> pins(List<AgentHub> hubs) {
        java.util.Map<String, String> pins = new java.util.LinkedHashMap<>();
        hubs.forEach(hub -> hub.pin().ifPresent(pin -> pins.put(hub.endpoint(), pin.toString())));
        return pins;
    }

    /** A member's announcement: its address, and its hub unless it has no endpoint to offer. */
    record Announcement(String member, Optional<AgentHub> hub) {}

    private final ActorSystem<?> system;
    private final Optional<AgentHub> own;
    private volatile List<Announcement> others = List.of();

    private HubDirectory(ActorSystem<?> system, Optional<AgentHub> own) {
        this.system = system;
        this.own = own;
    }

    /**
     * Announces this node's agent hub (empty: a node that cannot say where agents reach it) to the cluster and follows
     * the others'. The pin announced is the one at start: a certificate replaced while the node runs is announced
     * from its next start (agents pinning the old one must be given the new one anyway).
     */
    public static HubDirectory start(ActorSystem<?> system, Optional<AgentHub> own) {
        HubDirectory directory = new HubDirectory(system, own);
        system.systemActorOf(Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(HUBS, context.getSelf().unsafeUpcast()));
            return Behaviors.ignore();
        }), name(own), Props.empty());
        ActorRef<Receptionist.Listing> follower = system.systemActorOf(directory.follower(), "agent-hub-listing",
                Props.empty());
        system.receptionist().tell(Receptionist.subscribe(HUBS, follower));
        return directory;
    }

    private Behavior<Receptionist.Listing> follower() {
        return Behaviors.receive(Receptionist.Listing.class)
                .onMessage(Receptionist.Listing.class, listing -> {
                    List<Announcement> announced = new ArrayList<>();
                    for (ActorRef<Object> hub : listing.getServiceInstances(HUBS)) {
                        Address address = hub.path().address();
                        if (!address.hasLocalScope()) { // this node's own is known without asking
                            announced.add(new Announcement(address.toString(), parse(hub.path().name())));
                        }
                    }
                    others = List.copyOf(announced);
                    return Behaviors.same();
                })
                .build();
    }

    /**
     * What a welcome names: this node's hub first, then the other members' (by endpoint); nothing while this node has
     * no endpoint of its own or some reachable up member's announcement is missing (see the class comment).
     */
    public List<AgentHub> welcomeHubs() {
        return welcomeHubs(own, others, membersToWaitFor());
    }

    /** The other members' hubs announced so far, by endpoint. */
    public List<AgentHub> otherHubs() {
        return limit(sortedHubs(others, own));
    }

    static List<AgentHub> welcomeHubs(Optional<AgentHub> own, List<Announcement> others, Set<String> upMembers) {
        if (own.isEmpty()) {
            return List.of();
        }
        Set<String> announced = others.stream().map(Announcement::member).collect(Collectors.toSet());
        if (!announced.containsAll(upMembers)) {
            return List.of();
        }
        List<AgentHub> hubs = new ArrayList<>();
        hubs.add(own.get());
        hubs.addAll(sortedHubs(others, own));
        return limit(hubs);
    }

    /** The reachable up members other than this node, as addresses. */
    private Set<String> membersToWaitFor() {
        Cluster cluster = Cluster.get(system);
        ClusterEvent.CurrentClusterState state = cluster.state();
        Set<Member> unreachable = state.getUnreachable();
        Address self = cluster.selfMember().address();
        Set<String> members = new HashSet<>();
        for (Member member : StreamSupport.stream(state.getMembers().spliterator(), false).toList()) {
            if (member.status() == MemberStatus.up() && !unreachable.contains(member)
                    && !member.address().equals(self)) {
                members.add(member.address().toString());
            }
        }
        return members;
    }

    private static List<AgentHub> sortedHubs(List<Announcement> announcements, Optional<AgentHub> own) {
        Map<String, AgentHub> byEndpoint = new LinkedHashMap<>();
        announcements.stream().flatMap(announcement -> announcement.hub().stream())
                .filter(hub -> own.isEmpty() || !hub.endpoint().equals(own.get().endpoint()))
                .sorted(Comparator.comparing(AgentHub::endpoint))
                .forEach(hub -> byEndpoint.putIfAbsent(hub.endpoint(), hub));
        return List.copyOf(byEndpoint.values());
    }

    private static List<AgentHub> limit(List<AgentHub> hubs) {
        return hubs.size() <= NodeMessage.Welcome.MAX_HUBS ? hubs : hubs.subList(0, NodeMessage.Welcome.MAX_HUBS);
    }

    /** {@code agent-hub-<URL-encoded endpoint, or nothing>~<pin hex, or nothing>}. */
    static String name(Optional<AgentHub> hub) {
        return PREFIX + hub.map(h -> URLEncoder.encode(h.endpoint(), StandardCharsets.UTF_8)).orElse("")
                + PIN_SEPARATOR + hub.flatMap(AgentHub::pin).map(CertificatePin::hex).orElse("");
    }

    /** The hub a {@link #name} announces; empty for a node without an endpoint, or a name that is not one. */
    static Optional<AgentHub> parse(String name) {
        int separator = name.lastIndexOf(PIN_SEPARATOR);
        if (!name.startsWith(PREFIX) || separator < PREFIX.length()) {
            return Optional.empty();
        }
        String endpoint = URLDecoder.decode(name.substring(PREFIX.length(), separator), StandardCharsets.UTF_8);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        String pin = name.substring(separator + 1);
        try {
            return Optional.of(new AgentHub(endpoint,
                    pin.isEmpty() ? Optional.empty() : Optional.of(new CertificatePin(pin))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
