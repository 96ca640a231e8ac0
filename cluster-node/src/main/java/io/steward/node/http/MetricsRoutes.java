package io.steward.node.http;

import io.steward.node.telemetry.NodeMetrics;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: this node's metrics in the Prometheus text format, for an API token
 * ({@code Authorization: Bearer}, as Prometheus's {@code authorization: credentials:} sends it) or a logged-in
 * session; 401 without either. Outside {@code /api} because that is where scrapers look, so like {@code /healthz}
 * it has no row in {@link ApiEndpoints}; unlike it, it checks the caller itself.
 */
final class MetricsRoutes extends ApiDirectives {
    private static final ContentType EXPOSITION = ContentTypes.parse(NodeMetrics.CONTENT_TYPE);

    MetricsRoutes(ApiContext context) {
        super(context);
    }

    Route route() {
        return path("metrics", () -> get(() -> authenticated(user ->
                onSuccess(context.telemetry().scrape(), body ->
                        complete(HttpResponse.create().withEntity(HttpEntities.create(EXPOSITION, body)))))));
    }
}
