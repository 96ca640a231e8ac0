package io.steward.node.http;

import io.steward.node.auth.UserStore;
import io.steward.node.database.Blocking;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Directives shared by every resource: blocking work, sessions, roles, CSRF defence, JSON bodies. */
abstract class ApiDirectives extends AllDirectives {
    static final String SESSION_COOKIE = "steward_session";

    protected final ApiContext context;

    ApiDirectives(ApiContext context) {
        this.context = context;
    }

    /** Runs JDBC or bcrypt work on the blocking dispatcher, never on the HTTP threads. */
    <T> CompletionStage<T> blocking(Blocking.Work<T> work) {
        return context.blocking().supply(work);
    }

    /** The logged-in user, or 401. */
    Route authenticated(Function<UserStore.User, Route> inner) {
        return optionalCookie(SESSION_COOKIE, cookie -> {
            if (cookie.isEmpty()) {
                return complete(Json.error(StatusCodes.UNAUTHORIZED, "login required"));
            }
            String token = cookie.get().value();
            return onSuccess(blocking(() -> context.users().session(token)), session -> session
                    .map(found -> inner.apply(found.user()))
                    .orElseGet(() -> complete(Json.error(StatusCodes.UNAUTHORIZED, "session expired; log in again"))));
        });
    }

    Route admin(UserStore.User user, Route inner) {
        return user.role() == UserStore.Role.ADMIN
                ? inner
                : complete(Json.error(StatusCodes.FORBIDDEN, "this action needs the admin role"));
    }

    /**
     * CSRF defence for state-changing requests, on top of the SameSite=Strict cookie: a browser always sends
     * Origin on cross-site POST/PATCH/DELETE, so a present Origin must name this host; bodies must be JSON, which a
     * cross-site HTML form cannot send without a CORS preflight.
     */
    Route sameOrigin(Route inner) {
        return extractRequest(request -> {
            if (isSafe(request)) {
                return inner;
            }
            Optional<String> origin = request.getHeader("Origin").map(h -> h.value());
            Optional<String> host = request.getHeader("Host").map(h -> h.value());
            if (origin.isPresent() && !"null".equals(origin.get())) {
                String originHost = origin.get().replaceFirst("^[a-zA-Z]+://", "");
                if (host.isEmpty() || !originHost.equalsIgnoreCase(host.get())) {
                    return complete(Json.error(StatusCodes.FORBIDDEN, "cross-origin request refused"));
                }
            } else if (origin.isPresent()) {
                return complete(Json.error(StatusCodes.FORBIDDEN, "cross-origin request refused"));
            }
            boolean hasBody = request.entity().getContentLengthOption().orElse(0L) > 0
                    || !request.entity().isKnownEmpty();
            if (hasBody && !request.entity().getContentType().mediaType().toString().equals("application/json")) {
                return complete(Json.error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json"));
            }
            return inner;
        });
    }

    /** The request body as a JSON object, within the size limit. */
    Route jsonBody(Function<com.fasterxml.jackson.databind.JsonNode, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), body ->
                        inner.apply(Json.parseObject(body))));
    }

    private static boolean isSafe(HttpRequest request) {
        return request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD)
                || request.method().equals(HttpMethods.OPTIONS);
    }
}
