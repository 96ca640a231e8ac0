package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /ws/ui}: the browser's live-update socket. Cookie-authenticated like the API; the Origin must be this host,
 * because browsers send cookies on cross-site WebSocket handshakes that no CORS rule stops (cross-site WebSocket
 * hijacking).
 */
final class LiveRoutes extends ApiDirectives {

    LiveRoutes(ApiContext context) {
        super(context);
    }

    Route socket() {
        return extractRequest(request -> {
            Optional<String> host = request.getHeader("Host").map(header -> header.value());
            if (host.isEmpty() || !context.address().allows(host.get())) {
                return complete(unknownHost(host));
            }
            if (!sameOriginHandshake(request)) {
                return complete(ErrorResponses.of(Problem.Code.FORBIDDEN, "cross-origin WebSocket refused"));
            }
            return optionalCookie(SESSION_COOKIE, cookie -> {
                if (cookie.isEmpty()) {
                    return complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED, "login required"));
                }
                String token = cookie.get().value();
                return onSuccess(blocking(() -> context.users().session(token)), session -> session
                        .map(found -> extractWebSocketUpgrade(upgrade -> complete(upgrade.handleMessagesWith(
                                context.uiSocket().connectionFlow(found.user().username(), token)))))
                        .orElseGet(() -> complete(
                                ErrorResponses.of(Problem.Code.UNAUTHENTICATED, "session expired; log in again"))));
            });
        });
    }

    /** A handshake must carry an Origin naming this host (browsers always send one). */
    private static boolean sameOriginHandshake(HttpRequest request) {
        Optional<String> origin = request.getHeader("Origin").map(header -> header.value());
        Optional<String> host = request.getHeader("Host").map(header -> header.value());
        if (origin.isEmpty() || host.isEmpty()) {
            return false;
        }
        String originHost = origin.get().replaceFirst("^[a-zA-Z]+://", "");
        return originHost.equalsIgnoreCase(host.get());
    }
}
