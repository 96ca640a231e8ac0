package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.auth.AttemptLimiter;
import io.steward.node.auth.UserStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/auth}: login (rate-limited per username and per client address), logout, who am I. */
final class AuthRoutes extends ApiDirectives {
    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    private static final int MAX_USERNAME = 64;
    private static final int MAX_PASSWORD = 200;

    private final AttemptLimiter byUsername;
    private final AttemptLimiter byAddress;

    AuthRoutes(ApiContext context) {
        super(context);
        HttpSettings settings = context.settings();
        this.byUsername = new AttemptLimiter(settings.maxFailedLogins(), settings.failedLoginWindow(), context.clock());
        this.byAddress = new AttemptLimiter(settings.maxFailedLogins(), settings.failedLoginWindow(), context.clock());
    }

    Route route() {
        return pathPrefix("auth", () -> concat(
                path("login", () -> post(() -> login())),
                path("logout", () -> post(() -> logout())),
                path("me", () -> get(() -> authenticated(user ->
                        complete(Json.ok(Map.of("username", user.username(), "role", user.role().name()))))))));
    }

    private Route login() {
        return extractRequest(request -> jsonBody(body -> {
            String username = text(body, "username", MAX_USERNAME);
            String password = text(body, "password", MAX_PASSWORD);
            boolean remember = body.path("remember").asBoolean(false);
            String address = request.getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(remote -> remote.getAddress().map(inet -> inet.getHostAddress()))
                    .orElse("unknown");
            Optional<Duration> wait = byUsername.blockedFor(username).or(() -> byAddress.blockedFor(address));
            if (wait.isPresent()) {
                long seconds = Math.max(1, wait.get().toSeconds());
                return complete(Json.error(StatusCodes.TOO_MANY_REQUESTS,
                                "too many failed logins; try again in " + seconds + " s")
                        .addHeader(RetryAfter.create(seconds)));
            }
            return onSuccess(blocking(() -> context.users().verify(username, password)
                    .map(user -> {
                        try {
                            return context.users().createSession(user, context.settings().sessionTtl());
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    })), session -> {
                if (session.isEmpty()) {
                    byUsername.recordFailure(username);
                    byAddress.recordFailure(address);
                    log.info("Failed login for [{}] from [{}]", username, address);
                    return complete(Json.error(StatusCodes.UNAUTHORIZED, "wrong username or password"));
                }
                byUsername.reset(username);
                UserStore.Session created = session.get();
                HttpCookie cookie = HttpCookie.create(SESSION_COOKIE, created.token())
                        .withPath("/")
                        .withHttpOnly(true)
                        .withSecure(context.settings().secureCookies())
                        .withSameSite(SameSite.Strict);
                if (remember) {
                    cookie = cookie.withMaxAge(context.settings().sessionTtl().toSeconds());
                }
                HttpResponse response = Json.ok(Map.of(
                        "username", created.user().username(),
                        "role", created.user().role().name(),
                        "expiresAt", created.expiresAt().toString()));
                return complete(response.addHeader(SetCookie.create(cookie)));
            });
        }));
    }

    private Route logout() {
        return optionalCookie(SESSION_COOKIE, cookie -> {
            HttpCookie expired = HttpCookie.create(SESSION_COOKIE, "deleted")
                    .withPath("/")
                    .withHttpOnly(true)
                    .withSecure(context.settings().secureCookies())
                    .withSameSite(SameSite.Strict)
                    .withMaxAge(0);
            HttpResponse response = Json.ok(Map.of("loggedOut", true)).addHeader(SetCookie.create(expired));
            if (cookie.isEmpty()) {
                return complete(response);
            }
            String token = cookie.get().value();
            return onSuccess(blocking(() -> {
                context.users().deleteSession(token);
                return true;
            }), done -> complete(response));
        });
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new Json.BadRequest(field + " is required");
        }
        if (value.asText().length() > max) {
            throw new Json.BadRequest(field + " is longer than " + max + " characters");
        }
        return value.asText();
    }
}
