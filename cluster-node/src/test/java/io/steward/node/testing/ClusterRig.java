package io.steward.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.testing.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A cluster of node processes on loopback on one real PostgreSQL, with mutual TLS between the members (a test
 * certificate authority) and one shared secret key, as a three-machine deployment has. Ports are fixed per node, so a
 * node restarted in place rejoins under the same addresses. Closing kills every node and keeps their logs in
 * {@code target/<name>/}.
 */
public final class ClusterRig implements AutoCloseable {
    public static final Duration START = Duration.ofSeconds(90);

    private final String name;
    private final PostgresServer postgres;
    private final String jdbc;
    private final List<NodeJvm> nodes = new ArrayList<>();

    private ClusterRig(String name, PostgresServer postgres, String jdbc) {
        this.name = name;
        this.postgres = postgres;
        this.jdbc = jdbc;
    }

    /** Starts {@code size} nodes (the first forms the cluster, the others join it) and waits until all serve. */
    public static ClusterRig start(String name, Path work, int size) throws IOException {
        PostgresServer postgres = PostgresServer.start();
        ClusterRig rig = new ClusterRig(name, postgres, postgres.jdbcUrl(postgres.createDatabase()));
        try {
            ClusterCertificates certificates = ClusterCertificates.authority(work.resolve("ca"));
            // Rollups every 5 s, not every 30 s: a node restarted in turn may live under 30 s, so with the default
            // no job could have run by the damage pass, and several nodes folding at once is what it checks.
            Path config = java.nio.file.Files.writeString(work.resolve("rig.conf"),
                    "steward.store.rollup-interval = 5s\n");
            int[] clusterPorts = IntStream.range(0, size).map(i -> FreePort.find()).toArray();
            String seeds = String.join(",", IntStream.of(clusterPorts).mapToObj(port -> "127.0.0.1:" + port)
                    .toList());
            for (int i = 0; i < size; i++) {
                String node = "node-" + (i + 1);
                int httpPort = FreePort.find();
                rig.nodes.add(NodeJvm.start(node, work, httpPort, List.of(
                        "--config", config.toString(),
                        "--data-dir", work.resolve(node).toString(),
                        "--bind", "127.0.0.1",
                        "--http-port", String.valueOf(httpPort),
                        "--cluster-host", "127.0.0.1",
                        "--cluster-port", String.valueOf(clusterPorts[i]),
                        "--seed-nodes", seeds,
                        "--cluster-tls-dir", certificates.node(node).toString(),
                        "--db-url", rig.jdbc,
                        "--db-user", postgres.user(),
                        "--db-password", postgres.password()), Map.of(
                        "STEWARD_ADMIN_PASSWORD", TestNodes.ADMIN_PASSWORD,
                        // Every member needs the same key (it seals the channels' secrets); the first makes it.
                        "STEWARD_SECRET_KEY_FILE", work.resolve("secret.key").toString())));
                if (i == 0) {
                    rig.nodes.get(0).awaitServing(START);
                }
            }
            for (NodeJvm node : rig.nodes) {
                node.awaitServing(START);
            }
            return rig;
        } catch (RuntimeException | IOException | Error e) {
            // An AssertionError too (a node that did not come up): the nodes started before it must not outlive
            // the test (they once ran on through the next full test run).
            try {
                rig.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public List<NodeJvm> nodes() {
        return List.copyOf(nodes);
    }

    public NodeJvm node(int index) {
        return nodes.get(index);
    }

    /** Every node's agent endpoint, starting with node {@code first}'s and going round. */
    public List<java.net.URI> hubsFrom(int first) {
        return IntStream.range(0, nodes.size()).mapToObj(k -> java.net.URI.create(
                nodes.get((first + k) % nodes.size()).hub())).toList();
    }

    /** An admin session on node {@code index}. */
    public ApiClient admin(int index) {
        ApiClient api = new ApiClient(nodes.get(index).httpPort());
        api.loginAsAdmin();
        return api;
    }

    /**
     * What {@code GET /api/cluster} on node {@code asking} says each member hosts, by HTTP port of the member's node
     * here: server entities, and whether it is the oldest (the singletons' home).
     */
    public Map<NodeJvm, Hosting> hosting(int asking) {
        JsonNode members = admin(asking).get("/api/cluster").json().get("members");
        Map<NodeJvm, Hosting> hosting = new LinkedHashMap<>();
        for (JsonNode member : members) {
            int entities = 0;
            for (JsonNode hosted : member.get("hosted")) {
                if (hosted.get("type").asText().equals("server") && hosted.hasNonNull("entities")) {
                    entities = hosted.get("entities").asInt();
                }
            }
            hosting.put(byClusterAddress(member.get("address").asText()),
                    new Hosting(entities, member.get("oldest").asBoolean()));
        }
        return hosting;
    }

    /** The members {@code GET /api/cluster} on node {@code asking} lists, by cluster address. */
    public List<String> members(int asking) {
        List<String> addresses = new ArrayList<>();
        admin(asking).get("/api/cluster").json().get("members")
                .forEach(member -> addresses.add(member.get("address").asText()));
        return addresses;
    }

    /** Those of {@link #members} that are up and reachable. */
    public List<String> upMembers(int asking) {
        List<String> up = new ArrayList<>();
        for (JsonNode member : admin(asking).get("/api/cluster").json().get("members")) {
            if (member.get("status").asText().equals("up") && member.get("reachable").asBoolean()) {
                up.add(member.get("address").asText());
            }
        }
        return up;
    }

    /**
     * The phases of {@code node}'s newest failover that began after {@code since}, as {@code GET /api/cluster} through
     * {@code admin} lists them: the first of each kind ("unreachable", "downed", "shards-moved", ...) and how long
     * after {@code since} it came; empty if none is recorded.
     */
    public Map<String, java.time.Duration> failoverPhases(ApiClient admin, NodeJvm node, java.time.Instant since) {
        String port = ":" + clusterPort(node);
        Map<String, java.time.Duration> first = new LinkedHashMap<>();
        for (JsonNode failover : admin.get("/api/cluster").json().get("failovers")) {
            if (failover.get("member").asText().endsWith(port)
                    && !java.time.Instant.parse(failover.get("startedAt").asText()).isBefore(since)) {
                for (JsonNode phase : failover.get("phases")) {
                    first.putIfAbsent(phase.get("kind").asText(),
                            java.time.Duration.between(since, java.time.Instant.parse(phase.get("at").asText())));
                }
                break; // newest first
            }
        }
        return first;
    }

    /** What one member hosts. */
    public record Hosting(int serverEntities, boolean oldest) {
    }

    private NodeJvm byClusterAddress(String address) {
        for (NodeJvm node : nodes) {
            // The rig's command lines name each node's cluster port right after --cluster-port.
            if (address.endsWith(":" + clusterPort(node))) {
                return node;
            }
        }
        throw new IllegalStateException("no node of this rig at " + address);
    }

    private static String clusterPort(NodeJvm node) {
        return node.argument("--cluster-port");
    }

    /**
     * What a disruption left wrong, read from the database and {@code api}: for each agent's server, acknowledged
     * reports not stored or stored twice, a history that cannot be read, a "went offline" in it; journal histories
     * with a hole (two writers); rollups counting a report twice or not at all. Empty when nothing is wrong.
     */
    public List<String> damage(List<io.steward.agent.Agent> agents, ApiClient api) throws SQLException {
        List<String> damage = new ArrayList<>();
        long historyDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (io.steward.agent.Agent agent : agents) {
            String id = agent.status().serverId();
            long acked = agent.status().lastAckedSequence();
            long stored = storedSequences(id, acked);
            if (stored != acked) {
                damage.add(id + ": " + (acked - stored) + " of " + acked + " acknowledged reports not stored");
            }
            long rows = storedRows(id, acked);
            if (rows != stored) {
                damage.add(id + ": " + (rows - stored) + " reports stored twice");
            }
            ApiClient.Response events = historyOf(api, id, historyDeadline);
            if (events.status() != 200 || events.json().path("events").isEmpty()) {
                damage.add(id + ": history unreadable (" + events.status() + ")");
            } else if (events.raw().body().contains("\"went-offline\"")) {
                damage.add(id + ": said it went offline");
                // Which entity decided it, and on what: the line PresenceHandler logs with every such decision.
                nodes.forEach(node -> node.logLines(id + " went offline").forEach(line -> damage.add("  " + line)));
            }
        }
        journalHoles().forEach(hole -> damage.add("journal hole (two writers?): " + hole));
        damage.addAll(rollupMismatches());
        return damage;
    }

    /**
     * A server's history; a 503 (its entity still recovering on the node it just moved to) is asked again until
     * {@code deadline}, one for the whole damage pass: this checks what the history says, not how soon after a
     * rebalance it answers.
     */
    private static ApiClient.Response historyOf(ApiClient api, String id, long deadline) {
        ApiClient.Response events = api.get("/api/servers/" + id + "/events?limit=500");
        while (events.status() == 503 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            events = api.get("/api/servers/" + id + "/events?limit=500");
        }
        return events;
    }

    /**
     * How many distinct report sequences from 1 to {@code upTo} of {@code serverId} are stored, in the raw tail or
     * packed into chunks.
     */
    public long storedSequences(String serverId, long upTo) throws SQLException {
        return storedSequenceList(serverId, upTo).stream().distinct().count();
    }

    /** How many reports (duplicates included) from 1 to {@code upTo} of {@code serverId} are stored. */
    public long storedRows(String serverId, long upTo) throws SQLException {
        return storedSequenceList(serverId, upTo).size();
    }

    /** The report sequences from 1 to {@code upTo} of the raw tail and the chunks, read in one snapshot. */
    private List<Long> storedSequenceList(String serverId, long upTo) throws SQLException {
        List<Long> sequences = new ArrayList<>();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement raw = connection.prepareStatement(
                    "SELECT seq FROM metric_raw WHERE server_id = ? AND seq BETWEEN 1 AND ?")) {
                raw.setString(1, serverId);
                raw.setLong(2, upTo);
                try (ResultSet rows = raw.executeQuery()) {
                    while (rows.next()) {
                        sequences.add(rows.getLong(1));
                    }
                }
            }
            try (PreparedStatement chunks = connection.prepareStatement(
                    "SELECT payload FROM metric_chunk WHERE server_id = ? AND first_seq <= ?")) {
                chunks.setString(1, serverId);
                chunks.setLong(2, upTo);
                try (ResultSet rows = chunks.executeQuery()) {
                    while (rows.next()) {
                        for (long sequence : io.steward.core.metrics.ChunkCodec.sequences(rows.getBytes(1))) {
                            if (sequence >= 1 && sequence <= upTo) {
                                sequences.add(sequence);
                            }
                        }
                    }
                }
            }
            connection.commit();
        }
        return sequences;
    }

    /**
     * Journal histories with a hole: a persistence id whose highest sequence number is above its number of events.
     * Two writers for one entity show as a hole or a refused insert; one writer at a time leaves every history dense.
     */
    public List<String> journalHoles() throws SQLException {
        List<String> holes = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(
                // Sharding's own stores (remember-entities) delete what their snapshots cover; ours never do.
                "SELECT persistence_id, MAX(sequence_number), COUNT(*) FROM event_journal "
                        + "WHERE persistence_id NOT LIKE '/sharding/%' "
                        + "GROUP BY persistence_id HAVING MAX(sequence_number) <> COUNT(*)");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                holes.add(rows.getString(1) + " max " + rows.getLong(2) + " count " + rows.getLong(3));
            }
        }
        return holes;
    }

    /**
     * Servers whose 1-minute rollup of {@code cpu.percent} (one sample per report) does not count exactly the raw rows
     * the rollup job has folded so far (packed chunks hold folded reports only): a row folded twice (two nodes' jobs) or lost shows here. One statement, so
     * the rollup and its progress are read at one moment. Not empty either when nothing was folded at all.
     */
    public List<String> rollupMismatches() throws SQLException {
        List<String> mismatches = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement("""
                SELECT s.server_id, s.folded, r.raw FROM
                  (SELECT server_id, SUM(sample_count) AS folded FROM metric_1m WHERE series = 'cpu.percent'
                   GROUP BY server_id) s
                  JOIN (SELECT f.server_id, SUM(f.reports) AS raw FROM
                          (SELECT m.server_id, COUNT(*) AS reports FROM metric_raw m
                           JOIN rollup_progress p ON p.writer_id = m.writer_id AND m.writer_seq <= p.upto
                           GROUP BY m.server_id
                           UNION ALL
                           SELECT server_id, SUM(report_count) FROM metric_chunk GROUP BY server_id) f
                        GROUP BY f.server_id) r ON r.server_id = s.server_id
                """);
                ResultSet rows = select.executeQuery()) {
            int compared = 0;
            while (rows.next()) {
                compared++;
                if (rows.getLong(2) != rows.getLong(3)) {
                    mismatches.add(rows.getString(1) + " folded " + rows.getLong(2) + " of " + rows.getLong(3));
                }
            }
            if (compared == 0) {
                mismatches.add("nothing folded yet: the rollup job never ran (the rig runs it every 5 s)");
            }
        }
        return mismatches;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc, postgres.user(), postgres.password());
    }

    @Override
    public void close() {
        for (NodeJvm node : nodes) {
            try {
                node.destroy(Path.of("target", name));
            } catch (IOException | InterruptedException e) {
                // Keep closing the others; the logs are a convenience.
            }
        }
        postgres.close();
    }
}
