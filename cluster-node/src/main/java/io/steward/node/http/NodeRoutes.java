package io.steward.node.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /healthz} for load balancers and supervisors, {@code /api/node} for operators. */
final class NodeRoutes extends ApiDirectives {
    private static final Duration DATABASE_CHECK = Duration.ofSeconds(2);

    NodeRoutes(ApiContext context) {
        super(context);
    }

    /** 200 when this node is an Up cluster member and its database answers; 503 otherwise. */
    Route health() {
        return path("healthz", () -> get(() -> {
            CompletionStage<Boolean> databaseUp = blocking(() -> context.database().isReachable(DATABASE_CHECK));
            return onSuccess(databaseUp, reachable -> {
                boolean clusterUp = Cluster.get(context.system()).selfMember().status() == MemberStatus.up();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", reachable && clusterUp ? "up" : "down");
                body.put("database", reachable ? "up" : "unreachable");
                body.put("cluster", clusterUp ? "up" : "not up");
                return complete(Json.response(reachable && clusterUp
                        ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body));
            });
        }));
    }

    Route info() {
        return path("node", () -> get(() -> {
            Cluster cluster = Cluster.get(context.system());
            Map<String, Object> ingest = new LinkedHashMap<>();
            ingest.put("connectionsOpen", context.ingestCounters().connectionsOpen());
            ingest.put("connectionsOpened", context.ingestCounters().connectionsOpened());
            ingest.put("reportsStored", context.ingestCounters().reportsStored());
            ingest.put("reportsDuplicate", context.ingestCounters().reportsDuplicate());
            ingest.put("reportsClockSkewed", context.ingestCounters().reportsClockSkewed());
            ingest.put("errors", context.ingestCounters().errorCounts());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", NodeVersion.current());
            body.put("address", cluster.selfMember().address().toString());
            body.put("database", context.database().kind().name());
            body.put("members", cluster.state().getMembers().iterator().hasNext()
                    ? java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
                            .map(member -> member.address() + " " + member.status())
                            .toList()
                    : java.util.List.of());
            body.put("ingest", ingest);
            return complete(Json.ok(body));
        }));
    }
}
