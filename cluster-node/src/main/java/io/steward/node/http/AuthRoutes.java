package io.steward.node.http;

import io.steward.core.auth.AttemptLimiter;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/auth}: login (rate-limited per username and per client address), logout, who am I. */
final class AuthRoutes extends ApiDirectives {
    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    private static final int MAX_USERNAME = 64;
    private static final int MAX_PASSWORD = 200;

    private final AttemptLimiter byUsername;
    private final AttemptLimiter byAddress;

    /** {@code POST /api/auth/login}; {@code remember} keeps the cookie past the browser's session. */
    public record LoginRequest(String username, String password, @Nullable Boolean remember) {
        public LoginRequest {
            username = required("username", username, MAX_USERNAME);
            password = required("password", password, MAX_PASSWORD);
        }

        /** Only the name: a password never appears in a log or an error. */
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    /** Who is logged in ({@code GET /api/auth/me}). */
    public record Me(String username, UserStore.Role role) {}

    /** A new session; the cookie carries its token. */
    public record LoggedIn(String username, UserStore.Role role, Instant expiresAt) {}

    public record LoggedOut(boolean loggedOut) {}

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
                        complete(Json.ok(new Me(user.username(), user.role()))))))));
    }

    private Route login() {
        return extractRequest(request -> jsonBody(LoginRequest.class, body -> {
            String username = body.username();
            String password = body.password();
            boolean remember = Boolean.TRUE.equals(body.remember());
            String address = request.getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(remote -> remote.getAddress().map(inet -> inet.getHostAddress()))
                    .orElse("unknown");
            Optional<Duration> wait = byUsername.blockedFor(username).or(() -> byAddress.blockedFor(address));
            if (wait.isPresent()) {
                long seconds = Math.max(1, wait.get().toSeconds());
                return complete(ErrorResponses.of(Problem.Code.RATE_LIMITED,
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
                    return complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED, "wrong username or password"));
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
                HttpResponse response = Json.ok(new LoggedIn(created.user().username(), created.user().role(),
                        created.expiresAt()));
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
            HttpResponse response = Json.ok(new LoggedOut(true)).addHeader(SetCookie.create(expired));
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

    private static String required(String field, @Nullable String value, int max) {
        if (value == null || value.isEmpty()) {
            throw Problem.invalid(field + " is required");
        }
        if (value.length() > max) {
            throw Problem.invalid(field + " is longer than " + max + " characters");
        }
        return value;
    }
}
