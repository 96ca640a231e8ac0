package io.steward.node.http;

import io.steward.core.protocol.ErrorCode;
import io.steward.node.ingest.IngestCounters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /healthz} for load balancers and supervisors, {@code /api/node} for operators. */
final class NodeRoutes extends ApiDirectives {
    private static final Duration DATABASE_CHECK = Duration.ofSeconds(2);

    /** {@code GET /healthz}: {@code status} is "up" only when both parts are. */
    public record Health(String status, String database, String cluster) {}

    /** What this node's agent endpoint has seen since it started. */
    public record IngestBody(long connectionsOpen, long connectionsOpened, long reportsStored, long reportsDuplicate,
            long reportsClockSkewed, Map<ErrorCode, Long> errors) {
        static IngestBody of(IngestCounters counters) {
            return new IngestBody(counters.connectionsOpen(), counters.connectionsOpened(), counters.reportsStored(),
                    counters.reportsDuplicate(), counters.reportsClockSkewed(), counters.errorCounts());
        }
    }

    /** {@code GET /api/node}: members are "address status" lines. */
    public record NodeBody(String version, String address, String database, List<String> members, IngestBody ingest) {}

    NodeRoutes(ApiContext context) {
        super(context);
    }

    /** 200 when this node is an Up cluster member and its database answers; 503 otherwise. */
    Route health() {
        return path("healthz", () -> get(() -> {
            CompletionStage<Boolean> databaseUp = blocking(() -> context.database().isReachable(DATABASE_CHECK));
            return onSuccess(databaseUp, reachable -> {
                boolean clusterUp = Cluster.get(context.system()).selfMember().status() == MemberStatus.up();
                Health health = new Health(reachable && clusterUp ? "up" : "down",
                        reachable ? "up" : "unreachable", clusterUp ? "up" : "not up");
                return complete(Json.response(reachable && clusterUp
                        ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, health));
            });
        }));
    }

    Route info() {
        return path("node", () -> get(() -> {
            Cluster cluster = Cluster.get(context.system());
            List<String> members = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
                    .map(member -> member.address() + " " + member.status())
                    .toList();
            return complete(Json.ok(new NodeBody(NodeVersion.current(), cluster.selfMember().address().toString(),
                    context.database().kind().name(), members, IngestBody.of(context.ingestCounters()))));
        }));
    }
}
