package io.steward.node.http;

import io.steward.core.fleet.ServerId;
import io.steward.node.auth.UserStore;
import io.steward.node.database.Blocking;
import io.steward.node.problem.Problem;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

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

    /**
     * The user a request acts as, or 401: an API token ({@code Authorization: Bearer}, never mixed with a cookie:
     * a bad token is refused even with a valid cookie), else the session cookie.
     */
    Route authenticated(Function<UserStore.User, Route> inner) {
        return optionalHeaderValueByName("Authorization", authorization -> {
            if (authorization.isPresent()) {
                return bearer(authorization.get(), inner);
            }
            return sessionCookie(inner);
        });
    }

    private Route bearer(String authorization, Function<UserStore.User, Route> inner) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED,
                    "the Authorization header must be \"Bearer <API token>\""));
        }
        String secret = authorization.substring(7).strip();
        return clientAddress(address -> onSuccess(blocking(() -> context.accounts().tokens()
                .authenticate(secret, address)), user -> user
                .map(inner)
                .orElseGet(() -> complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED,
                        "unknown or revoked API token")))));
    }

    /** The client's IP address as the socket saw it ("unknown" if Pekko does not know). */
    Route clientAddress(Function<String, Route> inner) {
        return extractRequest(request -> inner.apply(request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(remote -> remote.getAddress().map(InetAddress::getHostAddress))
                .orElse("unknown")));
    }

    /** Whether the request carries an API token (some things need a person at a login session). */
    static boolean hasBearer(HttpRequest request) {
        return request.getHeader("Authorization").isPresent();
    }

    private Route sessionCookie(Function<UserStore.User, Route> inner) {
        return optionalCookie(SESSION_COOKIE, cookie -> {
            if (cookie.isEmpty()) {
                return complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED, "login required"));
            }
            String token = cookie.get().value();
            return onSuccess(blocking(() -> context.users().session(token)), session -> session
                    .map(found -> inner.apply(found.user()))
                    .orElseGet(() -> complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED,
                            "session expired; log in again"))));
        });
    }

    Route admin(UserStore.User user, Route inner) {
        return user.role() == UserStore.Role.ADMIN
                ? inner
                : complete(ErrorResponses.of(Problem.Code.FORBIDDEN, "this action needs the admin role"));
    }

    /**
     * CSRF defence for state-changing requests, on top of the SameSite=Strict cookie: a browser always sends
     * Origin on cross-site POST/PATCH/DELETE, so a present Origin must name this host; bodies must be JSON, which a
     * cross-site HTML form cannot send without a CORS preflight. The Host itself must be one of this node's names
     * first: after DNS rebinding a hostile page's Origin and Host agree, but name the attacker's domain.
     */
    Route sameOrigin(Route inner) {
        return extractRequest(request -> {
            if (isSafe(request)) {
                return inner;
            }
            Optional<String> origin = request.getHeader("Origin").map(h -> h.value());
            Optional<String> host = request.getHeader("Host").map(h -> h.value());
            if (origin.isPresent() && !"null".equals(origin.get())) {
                if (host.isEmpty() || !context.address().allows(host.get())) {
                    return complete(unknownHost(host));
                }
                String originHost = origin.get().replaceFirst("^[a-zA-Z]+://", "");
                if (!originHost.equalsIgnoreCase(host.get())) {
                    return complete(ErrorResponses.of(Problem.Code.FORBIDDEN, "cross-origin request refused"));
                }
            } else if (origin.isPresent()) {
                return complete(ErrorResponses.of(Problem.Code.FORBIDDEN, "cross-origin request refused"));
            }
            boolean hasBody = request.entity().getContentLengthOption().orElse(0L) > 0
                    || !request.entity().isKnownEmpty();
            if (hasBody && !request.entity().getContentType().mediaType().toString().equals("application/json")) {
                return complete(ErrorResponses.of(Problem.Code.UNSUPPORTED_MEDIA_TYPE,
                        "send the body as application/json"));
            }
            return inner;
        });
    }

    /** The refusal of a request whose Host header does not name this node. */
    static HttpResponse unknownHost(Optional<String> host) {
        return ErrorResponses.of(Problem.Code.FORBIDDEN, "the Host header " + host.map(h -> "'" + h + "'")
                .orElse("(none)") + " is not an address of this node; if it is, set steward.http.public-url "
                + "(--public-url) to the address you use");
    }

    /** The request body read into {@code type}, within the size limit; a mistake is a 400 naming the field. */
    <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(Unmarshaller.entityToString(), body -> inner.apply(Json.read(body, type))));
    }

    /** A body that may be empty: {@code empty} stands for it. */
    <T> Route optionalJsonBody(Class<T> type, T empty, Function<T, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(Unmarshaller.entityToString(), body ->
                        inner.apply(body.isBlank() ? empty : Json.read(body, type))));
    }

    /** The server named by a path segment, or a 400 saying what a server id is. */
    static ServerId serverId(String segment) {
        return ServerId.parse(segment).orElseThrow(() -> Problem.invalid(ServerId.describe(segment)));
    }

    private static boolean isSafe(HttpRequest request) {
        return request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD)
                || request.method().equals(HttpMethods.OPTIONS);
    }
}
