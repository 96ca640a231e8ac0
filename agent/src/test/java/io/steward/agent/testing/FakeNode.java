package io.steward.agent.testing;

import com.typesafe.config.ConfigFactory;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A tiny real node on loopback speaking the agent protocol over a real WebSocket ({@code /ws/agent}): enrollment
 * tokens and credentials, welcome with {@code lastStoredSequence}, idempotent storage with acks. A test can withhold
 * acks, answer UNAVAILABLE once for a sequence, go down (unbind and drop connections) and come back on the same port,
 * send any frame to the connected agents (or to each right after its welcome, as the node sends its check
 * assignment) and read every other frame they sent (services, backups, check results…). {@link #startPeer()} starts
 * another node of the same cluster (one shared store), whose welcomes may name the cluster's hubs.
 */
public final class FakeNode extends AllDirectives implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One actor system for every fake node of the test JVM: starting one costs about a second. */
    private static final class Shared {
        static final ActorSystem<Void> SYSTEM = ActorSystem.create(Behaviors.empty(), "fake-node",
                ConfigFactory.parseString("""
                        pekko.loglevel = WARNING
                        pekko.stdout-loglevel = WARNING
                        pekko.daemonic = on
                        pekko.http.server.idle-timeout = infinite
                        """).withFallback(ConfigFactory.load()));
        static final Materializer MATERIALIZER = Materializer.createMaterializer(SYSTEM);
    }

    /**
     * What the nodes of one fake cluster share, as real nodes share their database: tokens, credentials, servers and
     * their stored reports. Also the lock of every field of its nodes.
     */
    private static final class Cluster {
        final Set<String> enrollmentTokens = new HashSet<>();
        final Map<String, String> serverOfCredential = new HashMap<>();
        final Map<String, String> serverOfMachine = new HashMap<>();
        final Map<String, Long> lastStoredFloor = new HashMap<>();
        final Map<String, LinkedHashSet<Long>> stored = new LinkedHashMap<>();
        boolean rememberMachines;
        int serverNumber;
    }

    private final Cluster cluster;
    private final Object lock;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, List<AgentMessage.Report>> reports = new HashMap<>();
    private final List<AgentMessage.Hello> hellos = new ArrayList<>();
    private final List<Long> helloNanos = new ArrayList<>();
    private final List<AgentMessage> otherFrames = new ArrayList<>();
    private final List<PendingAck> withheld = new ArrayList<>();
    private final Set<Long> unavailableOnce = new HashSet<>();
    private BiFunction<AgentMessage.Hello, String, List<NodeMessage>> afterWelcome = (hello, server) -> List.of();
    private List<String> hubs = List.of();
    private long suggestedIntervalMillis;
    private ErrorCode refuseHellos;
    private boolean withholdAcks;
    private int normalCloses;
    private int maximumUnacknowledged;
    private ServerBinding binding;
    private int port;

    private record PendingAck(Connection connection, long sequence) {}

    /** Why a dropped connection failed; without a stack trace, since Pekko logs it and it is expected. */
    private static final class Dropped extends IllegalStateException {
        Dropped() {
            super("connection dropped by the test");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private FakeNode(Cluster cluster) {
        this.cluster = cluster;
        this.lock = cluster;
    }

    /** Starts on a free loopback port. */
    public static FakeNode start() {
        FakeNode node = new FakeNode(new Cluster());
        node.bind(0);
        return node;
    }

    /**
     * Starts another node of this one's cluster on a free loopback port: a credential either issued is good on both,
     * and a report either stored counts as stored on both (acked again as a duplicate, and in the welcome's
     * {@code lastStoredSequence}). What each received, its connections and test controls are its own.
     */
    public FakeNode startPeer() {
        FakeNode node = new FakeNode(cluster);
        node.bind(0);
        return node;
    }

    public URI hub() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/agent");
    }

    // ------------------------------------------------------------------------------------------------ test controls

    public FakeNode acceptEnrollmentToken(String token) {
        synchronized (lock) {
            cluster.enrollmentTokens.add(token);
            return this;
        }
    }

    /** A server the node already knows, with reports up to {@code lastStored} stored (e.g. before state was lost). */
    public FakeNode knownServer(String serverId, String credential, long lastStored) {
        synchronized (lock) {
            cluster.serverOfCredential.put(credential, serverId);
            cluster.lastStoredFloor.put(serverId, lastStored);
            return this;
        }
    }

    /** Re-enrolling a machine id seen before gives its old server back (as the real node does). */
    public FakeNode rememberMachines() {
        synchronized (lock) {
            cluster.rememberMachines = true;
            return this;
        }
    }

    /**
     * Frames sent to an agent right after each welcome (e.g. a check assignment), chosen by its hello and the id of
     * the server it reports as.
     */
    public FakeNode afterWelcome(BiFunction<AgentMessage.Hello, String, List<NodeMessage>> frames) {
        synchronized (lock) {
            afterWelcome = frames;
            return this;
        }
    }

    /** Answers every hello with this fatal error from now on (e.g. a node that cannot serve), or null: as usual. */
    public FakeNode refuseHellos(ErrorCode code) {
        synchronized (lock) {
            refuseHellos = code;
        }
        return this;
    }

    /** The hubs each welcome names from now on (as a node names the cluster's members that are up); none at first. */
    public FakeNode announceHubs(List<URI> announced) {
        synchronized (lock) {
            hubs = announced.stream().map(URI::toString).toList();
        }
        return this;
    }

    /** The collection interval each welcome suggests from now on; none (0) at first. */
    public FakeNode suggestInterval(Duration interval) {
        synchronized (lock) {
            suggestedIntervalMillis = interval.toMillis();
        }
        return this;
    }

    public void withholdAcks(boolean withhold) {
        synchronized (lock) {
            withholdAcks = withhold;
        }
    }

    /** Sends every withheld ack now and stops withholding. */
    public void releaseAcks() {
        List<PendingAck> release;
        synchronized (lock) {
            withholdAcks = false;
            release = new ArrayList<>(withheld);
            withheld.clear();
        }
        for (PendingAck pending : release) {
            pending.connection().send(new NodeMessage.Ack(pending.sequence()));
        }
    }

    public void unavailableOnce(long sequence) {
        synchronized (lock) {
            unavailableOnce.add(sequence);
        }
    }

    /** Deletes a server: its agent gets a fatal SERVER_DELETED and its credential stops working. */
    public void deleteServer(String serverId) {
        List<Connection> affected;
        synchronized (lock) {
            cluster.serverOfCredential.values().removeIf(serverId::equals);
            affected = connections.stream().filter(connection -> serverId.equals(connection.serverId)).toList();
        }
        for (Connection connection : affected) {
            connection.fatal(ErrorCode.SERVER_DELETED, "server " + serverId + " was deleted");
        }
    }

    /** Goes down: stops listening and drops every connection. */
    public void stop() {
        try {
            binding.terminate(Duration.ofMillis(200)).toCompletableFuture().get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the fake node", e);
        }
        List<Connection> open;
        synchronized (lock) {
            open = new ArrayList<>(connections);
            connections.clear();
        }
        for (Connection connection : open) {
            connection.drop();
        }
    }

    /** Comes back on the same port. */
    public void restart() {
        bind(port);
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------------------------------------ observations

    /** Distinct stored sequences of a server, in the order they first arrived. */
    public List<Long> storedSequences(String serverId) {
        synchronized (lock) {
            LinkedHashSet<Long> sequences = cluster.stored.get(serverId);
            return sequences == null ? List.of() : List.copyOf(sequences);
        }
    }

    /** Every report frame received for a server, duplicates included, in arrival order. */
    public List<AgentMessage.Report> receivedReports(String serverId) {
        synchronized (lock) {
            List<AgentMessage.Report> received = reports.get(serverId);
            return received == null ? List.of() : List.copyOf(received);
        }
    }

    /** Every frame of {@code type} the agents sent besides hellos and reports, in arrival order. */
    public <T extends AgentMessage> List<T> received(Class<T> type) {
        synchronized (lock) {
            return otherFrames.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Sends {@code message} to every agent that completed its handshake. */
    public void sendToAgents(NodeMessage message) {
        List<Connection> open;
        synchronized (lock) {
            open = connections.stream().filter(connection -> connection.serverId != null).toList();
        }
        open.forEach(connection -> connection.send(message));
    }

    public List<AgentMessage.Hello> hellos() {
        synchronized (lock) {
            return List.copyOf(hellos);
        }
    }

    /** When each hello arrived ({@link System#nanoTime()}), in the order of {@link #hellos()}. */
    public List<Long> helloTimes() {
        synchronized (lock) {
            return List.copyOf(helloNanos);
        }
    }

    public Set<String> serverIds() {
        synchronized (lock) {
            return Set.copyOf(cluster.stored.keySet());
        }
    }

    public String credentialOf(String serverId) {
        synchronized (lock) {
            return cluster.serverOfCredential.entrySet().stream().filter(entry -> entry.getValue().equals(serverId))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
    }

    /** Connections the agent ended with a normal close frame. */
    public int normalCloses() {
        synchronized (lock) {
            return normalCloses;
        }
    }

    /** The most reports one connection had received but not acknowledged at any moment. */
    public int maximumUnacknowledged() {
        synchronized (lock) {
            return maximumUnacknowledged;
        }
    }

    public int openConnections() {
        synchronized (lock) {
            return connections.size();
        }
    }

    // ------------------------------------------------------------------------------------------------ serving

    private void bind(int requestedPort) {
        Route route = path(PathMatchers.segment("ws").slash("agent"), () -> handleWebSocketMessages(connect()));
        try {
            binding = Http.get(Shared.SYSTEM).newServerAt("127.0.0.1", requestedPort).bind(route)
                    .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the fake node to port " + requestedPort, e);
        }
        port = binding.localAddress().getPort();
    }

    private Flow<Message, Message, NotUsed> connect() {
        Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> outgoing =
                Source.<Message>queue(1024).preMaterialize(Shared.MATERIALIZER);
        Connection connection = new Connection(outgoing.first());
        synchronized (lock) {
            connections.add(connection);
        }
        Sink<Message, CompletionStage<org.apache.pekko.Done>> incoming = Flow.<Message>create()
                .mapAsync(1, message -> {
                    if (message.isText()) {
                        return message.asTextMessage().toStrict(5000, Shared.MATERIALIZER)
                                .thenApply(strict -> (Object) strict.text());
                    }
                    return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), Shared.MATERIALIZER)
                            .thenApply(done -> (Object) "");
                })
                .toMat(Sink.foreach(text -> connection.onText((String) text)), (left, right) -> right);
        return Flow.fromSinkAndSourceCoupledMat(incoming, outgoing.second(), (done, ignored) -> {
            done.whenComplete((ok, failure) -> connection.ended(failure == null));
            return NotUsed.getInstance();
        });
    }

    /** One agent connection's protocol state. */
    private final class Connection {
        private final BoundedSourceQueue<Message> out;
        private String serverId;
        private int unacknowledged;
        private boolean closed;
        /** This side completed or failed the outgoing queue (at most once). */
        private boolean ended;

        Connection(BoundedSourceQueue<Message> out) {
            this.out = out;
        }

        void onText(String text) {
            AgentMessage message;
            try {
                message = WireFormat.decodeAgentMessage(text);
            } catch (WireFormat.MalformedMessageException e) {
                send(new NodeMessage.Error(ErrorCode.MALFORMED, e.getMessage(), 0, false));
                return;
            }
            if (message instanceof AgentMessage.Hello hello) {
                onHello(hello);
            } else if (message instanceof AgentMessage.Report report) {
                onReport(report);
            } else if (message instanceof AgentMessage.RotateCredential rotate) {
                // Like the node: the new credential works alongside the old one (the old is not retired here).
                String rotated;
                synchronized (lock) {
                    otherFrames.add(rotate);
                    rotated = "cred-" + serverId + "-rotated-" + otherFrames.size();
                    cluster.serverOfCredential.put(rotated, serverId);
                }
                send(new NodeMessage.CredentialRotated(rotated));
            } else {
                synchronized (lock) {
                    otherFrames.add(message);
                }
            }
        }

        private void onHello(AgentMessage.Hello hello) {
            NodeMessage answer;
            List<NodeMessage> following = List.of();
            synchronized (lock) {
                hellos.add(hello);
                helloNanos.add(System.nanoTime());
                String server = cluster.serverOfCredential.get(hello.token());
                String credential = null;
                if (refuseHellos != null) {
                    server = null;
                } else if (server == null && cluster.enrollmentTokens.contains(hello.token())) {
                    server = cluster.rememberMachines ? cluster.serverOfMachine.get(hello.machineId()) : null;
                    if (server == null) {
                        server = "srv-" + (++cluster.serverNumber);
                    }
                    credential = "cred-" + server + "-" + hellos.size();
                    cluster.serverOfCredential.values().removeIf(server::equals);
                    cluster.serverOfCredential.put(credential, server);
                    cluster.serverOfMachine.put(hello.machineId(), server);
                }
                if (refuseHellos != null) {
                    answer = new NodeMessage.Error(refuseHellos, "refused by the test", 0, true);
                } else if (server == null) {
                    answer = new NodeMessage.Error(ErrorCode.UNAUTHORIZED, "unknown token", 0, true);
                } else {
                    serverId = server;
                    cluster.stored.computeIfAbsent(server, id -> new LinkedHashSet<>());
                    answer = new NodeMessage.Welcome(ProtocolVersion.CURRENT, server, credential, lastStored(server),
                            hubs, Map.of(), suggestedIntervalMillis);
                    following = afterWelcome.apply(hello, server);
                }
            }
            if (answer instanceof NodeMessage.Error error) {
                fatal(error.code(), error.message());
            } else {
                send(answer);
                following.forEach(this::send);
            }
        }

        private long lastStored(String server) {
            long floor = cluster.lastStoredFloor.getOrDefault(server, 0L);
            return Math.max(floor, cluster.stored.get(server).stream().mapToLong(Long::longValue).max().orElse(0));
        }

        private void onReport(AgentMessage.Report report) {
            NodeMessage answer = null;
            synchronized (lock) {
                if (serverId == null) {
                    answer = new NodeMessage.Error(ErrorCode.NOT_AUTHENTICATED, "hello first", 0, true);
                } else {
                    reports.computeIfAbsent(serverId, id -> new ArrayList<>()).add(report);
                    unacknowledged++;
                    maximumUnacknowledged = Math.max(maximumUnacknowledged, unacknowledged);
                    if (unavailableOnce.remove(report.sequence())) {
                        unacknowledged--;
                        answer = new NodeMessage.Error(ErrorCode.UNAVAILABLE, "busy", report.sequence(), false);
                    } else {
                        cluster.stored.get(serverId).add(report.sequence());
                        if (withholdAcks) {
                            withheld.add(new PendingAck(this, report.sequence()));
                        } else {
                            answer = new NodeMessage.Ack(report.sequence());
                        }
                    }
                }
            }
            if (answer != null) {
                send(answer);
            }
        }

        void send(NodeMessage message) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (message instanceof NodeMessage.Ack) {
                    unacknowledged--;
                }
            }
            out.offer(TextMessage.create(WireFormat.encode(message)));
        }

        void fatal(ErrorCode code, String message) {
            send(new NodeMessage.Error(code, message, 0, true));
            synchronized (lock) {
                closed = true; // as the node: nothing follows a fatal error
            }
            end(out::complete);
        }

        void drop() {
            synchronized (lock) {
                closed = true;
            }
            end(() -> out.fail(new Dropped()));
        }

        /**
         * Ends the outgoing stream unless the stream has ended already. An agent hangs up as soon as it reads a fatal
         * error, and the hang-up closes the queue, possibly before the line after the error's send runs (seen once
         * in aDeletedServerDisconnectsItsAgent); a closed queue refuses to be completed or failed again with an
         * IllegalStateException, which only says the agent was first.
         */
        private void end(Runnable ending) {
            synchronized (lock) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            try {
                ending.run();
            } catch (IllegalStateException alreadyClosedByTheStream) {
                // The agent closed the connection first: nothing left to end.
            }
        }

        void ended(boolean normally) {
            synchronized (lock) {
                closed = true;
                connections.remove(this);
                if (normally) {
                    normalCloses++;
                }
            }
        }
    }
}
