package io.steward.node.http;

import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The plain-HTTP port ({@code --redirect-port}) of a node serving HTTPS: every request, whatever its method, gets a
 * permanent redirect to the same path over HTTPS and nothing else: no API, no dashboard, no agent socket in clear
 * text. 308 keeps the method, so a client that follows it does not turn a POST into a GET.
 */
public final class RedirectRoutes extends AllDirectives {
    private final PublicAddress address;

    public RedirectRoutes(PublicAddress address) {
        this.address = address;
    }

    public Route route() {
        return extractRequest(request -> {
            String base = address.httpsBase(request.getHeader("Host").map(header -> header.value()));
            String path = request.getUri().path();
            String target = base + (path.startsWith("/") ? path : "/" + path)
                    + request.getUri().rawQueryString().map(query -> "?" + query).orElse("");
            return complete(HttpResponse.create().withStatus(StatusCodes.PERMANENT_REDIRECT)
                    .addHeader(Location.create(target)));
        });
    }
}
