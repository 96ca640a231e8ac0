package io.steward.node.http;

import io.steward.node.auth.UserStore;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/cluster} (admin): the members, what each hosts, and the failover history. {@code GET /readyz}
 * (public, for load balancers): 200 when this node should get traffic, else 503 saying why; {@code /healthz} stays
 * the liveness check.
 */
final class ClusterRoutes extends ApiDirectives {

    ClusterRoutes(ApiContext context) {
        super(context);
    }

    Route readiness() {
        return path("readyz", () -> get(() -> onSuccess(context.cluster().readiness(), readiness ->
                complete(Json.response(readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                        readiness)))));
    }

    Route route(UserStore.User user) {
        return path("cluster", () -> admin(user, get(() -> onSuccess(context.cluster().snapshot(), snapshot ->
                complete(Json.ok(snapshot))))));
    }
}
