package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.steward.core.auth.AddressKey;
import io.steward.core.auth.AttemptLimiter;
import io.steward.node.auth.AuditLog;
import io.steward.node.auth.PasswordHashing;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/auth}: login (throttled per username at a client address, and per address), logout, who am I, change
 * one's password, "forgot password?" links and redeeming them.
 */
final class AuthRoutes extends ApiDirectives {
    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    private static final int MAX_USERNAME = 64;
    private static final int MAX_PASSWORD = 200;
    /** Reset links one username may ask for from one address in the login window (more are silently dropped). */
    private static final int MAX_RESET_LINKS = 3;
    static final String BEARER_PASSWORD = "passwords are changed from a login session, not with an API token";
    private static final String INVALID_LINK = "token: this link is invalid, already used or expired; ask for a new one";

    /** Attempts per username at one address: an attacker elsewhere cannot lock the owner out. */
    private final AttemptLimiter byUserAtAddress;
    /** Attempts per address across usernames: one address cannot spray every account. */
    private final AttemptLimiter byAddress;
    private final AttemptLimiter resetLinks;
    /** Reset redemptions per address: guessing link tokens is as throttled as guessing passwords. */
    private final AttemptLimiter resetAttempts;

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

    /** {@code POST /api/auth/password}: one's own password; the other sessions of the user end. */
    public record PasswordChange(String current, @JsonProperty("new") @Nullable String newPassword) {
        public PasswordChange {
            current = required("current", current, MAX_PASSWORD);
        }

        @Override
        public String toString() {
            return "PasswordChange[]";
        }
    }

    public record PasswordChanged(boolean changed) {}

    /** {@code POST /api/auth/forgot}: asks for a reset link by email. */
    public record ForgotRequest(String username) {
        public ForgotRequest {
            username = required("username", username, MAX_USERNAME);
        }
    }

    /** The same answer whether or not the account exists. */
    public record ForgotAccepted(String message) {}

    /** {@code POST /api/auth/reset}: a link's token and the new password. */
    public record ResetRequest(String token, @Nullable String password) {
        public ResetRequest {
            token = required("token", token, 200);
        }

        @Override
        public String toString() {
            return "ResetRequest[]";
        }
    }

    public record PasswordReset(String username) {}

    AuthRoutes(ApiContext context) {
        super(context);
        HttpSettings settings = context.settings();
        this.byUserAtAddress = new AttemptLimiter(settings.maxFailedLogins(), settings.failedLoginWindow(),
                context.clock());
        this.byAddress = new AttemptLimiter(context.accounts().settings().maxLoginAttemptsPerAddress(),
                settings.failedLoginWindow(), context.clock());
        this.resetLinks = new AttemptLimiter(MAX_RESET_LINKS, settings.failedLoginWindow(), context.clock());
        this.resetAttempts = new AttemptLimiter(context.accounts().settings().maxLoginAttemptsPerAddress(),
                settings.failedLoginWindow(), context.clock());
    }

    /** What anyone may call. */
    Route publicRoute() {
        return pathPrefix("auth", () -> concat(
                path("login", () -> post(this::login)),
                path("logout", () -> post(this::logout)),
                path("forgot", () -> post(this::forgot)),
                path("reset", () -> post(this::reset))));
    }

    /** What a logged-in user may call. */
    Route route(UserStore.User user) {
        return pathPrefix("auth", () -> concat(
                path("me", () -> get(() -> complete(Json.ok(new Me(user.username(), user.role()))))),
                path("password", () -> post(() -> extractRequest(request -> {
                    if (hasBearer(request)) {
                        throw new Problem(Problem.Code.FORBIDDEN, BEARER_PASSWORD);
                    }
                    return changePassword(user);
                })))));
    }

    private Route login() {
        return clientAddress(client -> jsonBody(LoginRequest.class, body -> {
            String username = body.username();
            boolean remember = Boolean.TRUE.equals(body.remember());
            String address = AddressKey.of(client);
            String userKey = username + "@" + address;
            // Counted before the password is checked: concurrent guesses cannot all slip under the limit. The address
            // first, so a refused address leaves nothing behind under the username.
            Optional<Duration> wait = byAddress.tryAcquire(address);
            if (wait.isEmpty()) {
                wait = byUserAtAddress.tryAcquire(userKey);
                if (wait.isPresent()) {
                    byAddress.release(address);
                }
            }
            if (wait.isPresent()) {
                return complete(throttled(wait.get()));
            }
            return onSuccess(check(username, body.password())
                    .thenCompose(user -> user.isEmpty()
                            ? CompletableFuture.completedFuture(Optional.<UserStore.Session>empty())
                            : blocking(() -> Optional.of(context.users().createSession(user.get(),
                                    context.settings().sessionTtl()))))
                    .whenComplete((session, failure) -> {
                        if (failure != null) {
                            // Not checked (hashing pool full, database down: 503): not an attempt to hold against anyone.
                            byUserAtAddress.release(userKey);
                            byAddress.release(address);
                        }
                    }), session -> {
                if (session.isEmpty()) {
                    log.info("Failed login for [{}] from [{}]", username, client);
                    return complete(ErrorResponses.of(Problem.Code.UNAUTHENTICATED, "wrong username or password"));
                }
                byUserAtAddress.reset(userKey);
                byAddress.release(address);
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

    /**
     * The user, if the password is theirs: the hash is read on the blocking pool (the connection is back before
     * hashing starts) and compared on the hashing pool.
     */
    private CompletionStage<Optional<UserStore.User>> check(String username, String password) {
        return blocking(() -> context.users().credentials(username)).thenCompose(credentials -> context.accounts()
                .hashing().matches(password, credentials.map(UserStore.Credentials::passwordHash).orElse(null))
                .thenApply(matches -> matches ? credentials.map(UserStore.Credentials::user) : Optional.empty()));
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

    private Route changePassword(UserStore.User user) {
        return clientAddress(address -> optionalCookie(SESSION_COOKIE, cookie -> jsonBody(PasswordChange.class,
                body -> {
                    PasswordHashing.checkStrength("new", body.newPassword());
                    String userKey = user.username() + "@" + AddressKey.of(address);
                    Optional<Duration> wait = byUserAtAddress.tryAcquire(userKey);
                    if (wait.isPresent()) {
                        return complete(throttled(wait.get()));
                    }
                    String keep = cookie.map(found -> found.value()).orElse(null);
                    CompletionStage<Boolean> changed = check(user.username(), body.current())
                            .thenCompose(valid -> {
                                if (valid.isEmpty()) {
                                    throw Problem.invalid("current: the current password is wrong");
                                }
                                byUserAtAddress.reset(userKey);
                                return context.accounts().hashing().hash(body.newPassword());
                            })
                            .thenCompose(hash -> blocking(() -> {
                                boolean done = context.users().setPasswordHash(user.username(), hash, keep);
                                context.accounts().audit().record(user.username(), "password.changed",
                                        user.username(), "other sessions ended");
                                return done;
                            }));
                    return onSuccess(changed, done -> complete(Json.ok(new PasswordChanged(done))));
                })));
    }

    private Route forgot() {
        return clientAddress(address -> optionalHeaderValueByName("Host", host -> jsonBody(ForgotRequest.class, body -> {
            String username = body.username();
            if (resetLinks.tryAcquire(username + "@" + AddressKey.of(address)).isEmpty()) {
                // Not awaited: answering before anything is looked up, the timing says nothing about the account.
                // The database work runs on the blocking pool, the SMTP exchange on the notification senders' pool.
                blocking(() -> resetMail(username, address, host))
                        .thenComposeAsync(mail -> mail.isEmpty()
                                ? CompletableFuture.completedFuture(false)
                                : CompletableFuture.supplyAsync(() -> send(mail.get()),
                                        context.notifications().sendPool()),
                                context.notifications().sendPool())
                        .whenComplete((sent, failure) -> {
                            if (failure != null) {
                                log.warn("Could not send a password reset link for [{}]", username, failure);
                            }
                        });
            }
            return complete(Json.response(StatusCodes.ACCEPTED, new ForgotAccepted("If the account exists, has an email address"
                    + " and this node can send email, a reset link is on its way; it works once, for "
                    + context.accounts().resets().lifetime().toMinutes() + " minutes.")));
        })));
    }

    /** A reset link email to send, already issued and stored. */
    private record ResetMail(String username, String address, String to, String text) {}

    /** The link's email, if the user exists with an address; issues the link (blocking JDBC). */
    private Optional<ResetMail> resetMail(String username, String address, Optional<String> host) throws Exception {
        Optional<String> email = context.users().email(username);
        if (email.isEmpty() || email.get().isBlank()) {
            log.info("Password reset asked for [{}] from [{}]: no such enabled user with an email address",
                    username, address);
            return Optional.empty();
        }
        String secret = context.accounts().resets().issue(username);
        String base = context.address().webBase(host).orElseGet(() -> context.notifications().publicUrl().get());
        String link = base + "/reset-password#token=" + secret;
        long minutes = context.accounts().resets().lifetime().toMinutes();
        return Optional.of(new ResetMail(username, address, email.get(),
                "Someone (hopefully you) asked to reset the Steward password of \"" + username + "\" from "
                        + address + ".\n\nSet a new password here (the link works once, for " + minutes
                        + " minutes):\n" + link + "\n\nIf it was not you, ignore this email; your password is"
                        + " unchanged.\n"));
    }

    /** Sends over SMTP (on the senders' pool, never the database pool) and records it. */
    private boolean send(ResetMail mail) {
        try {
            boolean sent = context.accounts().mailer().send(mail.to(), "[Steward] Reset your password", mail.text());
            if (sent) {
                context.accounts().audit().record(AuditLog.ANONYMOUS, "password.reset-link-sent", mail.username(),
                        "asked from " + mail.address());
            } else {
                log.warn("Password reset asked for [{}], but no email channel is configured to send it",
                        mail.username());
            }
            return sent;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The link is looked up (exists, unused, unexpired) before the new password is hashed: a flood of made-up tokens
     * is refused at the cost of one indexed read, never of a bcrypt slot. Throttled per client address as logins are.
     */
    private Route reset() {
        return clientAddress(client -> jsonBody(ResetRequest.class, body -> {
            PasswordHashing.checkStrength("password", body.password());
            String address = AddressKey.of(client);
            Optional<Duration> wait = resetAttempts.tryAcquire(address);
            if (wait.isPresent()) {
                return complete(throttled(wait.get()));
            }
            CompletionStage<String> done = blocking(() -> context.accounts().resets().pending(body.token()))
                    .thenCompose(pending -> {
                        if (pending.isEmpty()) {
                            throw Problem.invalid(INVALID_LINK);
                        }
                        return context.accounts().hashing().hash(body.password());
                    })
                    .thenCompose(hash -> blocking(() -> {
                        String username = context.accounts().resets().redeem(body.token())
                                .orElseThrow(() -> Problem.invalid(INVALID_LINK));
                        context.users().setPasswordHash(username, hash, null);
                        int revoked = context.accounts().tokens().revokeAll(username);
                        context.accounts().audit().record(AuditLog.RESET_LINK, "password.reset", username,
                                "every session ended, " + revoked + " API token(s) revoked");
                        return username;
                    }));
            return onSuccess(done, username -> {
                resetAttempts.release(address);
                return complete(Json.ok(new PasswordReset(username)));
            });
        }));
    }

    private static HttpResponse throttled(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds());
        return ErrorResponses.of(Problem.Code.RATE_LIMITED, "too many failed logins; try again in " + seconds + " s")
                .addHeader(RetryAfter.create(seconds));
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
