package io.steward.node.http;

import java.util.List;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The dashboard's static files from the classpath ({@code steward/ui/}, packed by the frontend module). Hashed
 * assets are cached for a year; everything else, including the {@code index.html} fallback for client-side routes,
 * is revalidated on every load so a new release shows at once.
 */
final class UiRoutes extends ApiDirectives {
    private static final String ROOT = "steward/ui";

    UiRoutes(ApiContext context) {
        super(context);
    }

    Route route() {
        return get(() -> concat(
                pathPrefix("assets", () -> respondWithHeaders(
                        List.of(CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(31_536_000),
                                CacheDirectives.IMMUTABLE)),
                        () -> getFromResourceDirectory(ROOT + "/assets"))),
                respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)), () -> concat(
                        pathSingleSlash(() -> getFromResource(ROOT + "/index.html")),
                        getFromResourceDirectory(ROOT),
                        // Client-side routes (e.g. /servers/web-1) get the app shell.
                        getFromResource(ROOT + "/index.html")))));
    }
}
