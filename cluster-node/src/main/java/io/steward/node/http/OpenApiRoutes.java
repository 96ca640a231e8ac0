package io.steward.node.http;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/openapi.json}: the API's OpenAPI 3.1 document, public like the dashboard's own code (it holds no
 * data, only the shape of the API), so code generators and API browsers fetch it without a login.
 */
final class OpenApiRoutes extends ApiDirectives {
    private static volatile byte[] document;

    OpenApiRoutes(ApiContext context) {
        super(context);
    }

    Route publicRoute() {
        return path("openapi.json", () -> get(() -> onSuccess(document != null
                        ? CompletableFuture.completedFuture(document)
                        : blocking(OpenApiRoutes::document),
                json -> complete(HttpResponse.create().withEntity(
                        HttpEntities.create(ContentTypes.APPLICATION_JSON, json))))));
    }

    /**
     * Built at the first request (a few hundred milliseconds of reflection) on the blocking pool, not on the thread
     * that runs the node's actors and streams (one per two cores), then served from memory without the pool.
     */
    private static byte[] document() {
        byte[] built = document;
        if (built == null) {
            try {
                built = Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(OpenApiDocument.build(NodeVersion.current()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("the OpenAPI document does not serialize", e);
            }
            document = built;
        }
        return built;
    }
}
