package io.steward.node.http;

import io.steward.node.auth.AuditLog;
import io.steward.node.auth.PasswordHashing;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/** {@code /api/users} and {@code /api/audit} (admin): accounts, and who changed them. */
final class UserRoutes extends ApiDirectives {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_AUDIT = 1000;

    /** A user as listed. */
    public record UserBody(String username, UserStore.Role role, @Nullable String email, boolean disabled,
            Instant createdAt, @Nullable Instant passwordChangedAt) {
        static UserBody of(UserStore.Account account) {
            return new UserBody(account.username(), account.role(), account.email(), account.disabled(),
                    account.createdAt(), account.passwordChangedAt());
        }
    }

    /** {@code POST /api/users}. */
    public record UserRequest(String username, @Nullable String password, @Nullable String role,
            @Nullable String email) {
        public UserRequest {
            username = Fields.required("username", username, UserStore.MAX_USERNAME);
            if (!USERNAME.matcher(username).matches()) {
                throw Problem.invalid("username may hold letters, digits and . _ @ - (starting with a letter or"
                        + " digit), at most " + UserStore.MAX_USERNAME + " characters");
            }
            email = UserRoutes.email(email);
        }

        @Override
        public String toString() {
            return "UserRequest[username=" + username + ", role=" + role + "]";
        }
    }

    /**
     * {@code PATCH /api/users/{username}}: only what is present changes; {@code "email": ""} clears the address;
     * {@code password} is an admin's reset of another user's password (the user's sessions end; one's own goes through
     * {@code POST /api/auth/password}). With an API token only {@code role} and {@code disabled} may change.
     */
    public record UserPatch(@Nullable String role, @Nullable Boolean disabled, @Nullable String email,
            @Nullable String password) {
        @Override
        public String toString() {
            return "UserPatch[role=" + role + ", disabled=" + disabled + "]";
        }
    }

    /** One audit log line. */
    public record AuditEntryBody(long id, Instant at, String actor, String action, @Nullable String target,
            @Nullable String detail) {}

    UserRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return concat(
                pathPrefix("users", () -> concat(
                        pathEndOrSingleSlash(() -> admin(user, concat(
                                get(() -> onSuccess(blocking(() -> context.users().accounts()), accounts ->
                                        complete(Json.ok(accounts.stream().map(UserBody::of).toList())))),
                                post(() -> extractRequest(request -> jsonBody(UserRequest.class, body ->
                                        create(user, body, hasBearer(request)))))))),
                        path(PathMatchers.segment(), username -> admin(user, concat(
                                get(() -> onSuccess(blocking(() -> context.users().account(username)), account ->
                                        complete(Json.ok(UserBody.of(account.orElseThrow(() -> noSuchUser(username))))))),
                                patch(() -> extractRequest(request -> jsonBody(UserPatch.class, body ->
                                        update(user, username, body, hasBearer(request))))),
                                delete(() -> remove(user, username))))))),
                path("audit", () -> admin(user, get(() -> parameterOptional("limit", limit -> {
                    int count = limit.map(UserRoutes::auditLimit).orElse(200);
                    return onSuccess(blocking(() -> context.accounts().audit().newest(count)), entries ->
                            complete(Json.ok(entries.stream().map(entry -> new AuditEntryBody(entry.id(), entry.at(),
                                    entry.actor(), entry.action(), entry.target(), entry.detail())).toList())));
                })))));
    }

    private Route create(UserStore.User actor, UserRequest body, boolean byToken) {
        if (byToken) {
            // A new account with a password the token's holder chose would outlive the token's revocation.
            throw new Problem(Problem.Code.FORBIDDEN, "create users from a login session, not with an API token");
        }
        PasswordHashing.checkStrength("password", body.password());
        UserStore.Role role = UserStore.Role.parse("role", body.role());
        CompletionStage<UserStore.Account> created = context.accounts().hashing().hash(body.password())
                .thenCompose(hash -> blocking(() -> {
                    context.users().create(body.username(), hash, role, body.email());
                    context.accounts().audit().record(actor.username(), "user.created", body.username(),
                            "role " + wire(role) + (body.email() == null ? "" : ", email " + body.email()));
                    return context.users().account(body.username()).orElseThrow();
                }));
        return onSuccess(created, account -> complete(Json.created(UserBody.of(account))));
    }

    private Route update(UserStore.User actor, String username, UserPatch body, boolean byToken) {
        UserStore.Role role = body.role() == null ? null : UserStore.Role.parse("role", body.role());
        String email = body.email() == null ? null : body.email().isBlank() ? "" : email(body.email());
        if (role == null && body.disabled() == null && body.email() == null && body.password() == null) {
            throw Problem.invalid("nothing to change: send role, disabled, email or password");
        }
        boolean self = actor.username().equals(username);
        if (self && Boolean.TRUE.equals(body.disabled())) {
            throw Problem.conflict("you cannot disable your own account");
        }
        if (self && body.password() != null) {
            throw Problem.invalid("password: change your own password with POST /api/auth/password, which asks for"
                    + " the current one");
        }
        if (byToken && (body.password() != null || body.email() != null)) {
            // Either would let a token's holder take the account over (directly, or by a reset link to their address).
            throw new Problem(Problem.Code.FORBIDDEN, (body.password() != null ? "password" : "email")
                    + ": change passwords and email addresses from a login session, not with an API token");
        }
        if (body.password() != null) {
            PasswordHashing.checkStrength("password", body.password());
        }
        CompletionStage<String> hash = body.password() == null
                ? CompletableFuture.completedFuture(null)
                : context.accounts().hashing().hash(body.password());
        CompletionStage<UserStore.Account> updated = hash.thenCompose(newHash -> blocking(() -> {
            UserStore.Account account = context.users().account(username).orElseThrow(() -> noSuchUser(username));
            if (role != null || body.disabled() != null || email != null) {
                account = context.users().update(username, new UserStore.Change(role, body.disabled(), email))
                        .orElseThrow(() -> noSuchUser(username));
                context.accounts().audit().record(actor.username(), "user.updated", username,
                        describe(role, body.disabled(), email));
            }
            if (newHash != null) {
                context.users().setPasswordHash(username, newHash, null);
                context.accounts().audit().record(actor.username(), "user.password-reset", username,
                        "the user's sessions ended");
                account = context.users().account(username).orElseThrow(() -> noSuchUser(username));
            }
            return account;
        }));
        return onSuccess(updated, account -> complete(Json.ok(UserBody.of(account))));
    }

    private Route remove(UserStore.User actor, String username) {
        if (actor.username().equals(username)) {
            throw Problem.conflict("you cannot delete your own account");
        }
        return onSuccess(blocking(() -> {
            if (!context.users().delete(username)) {
                throw noSuchUser(username);
            }
            context.accounts().audit().record(actor.username(), "user.deleted", username,
                    "sessions and API tokens removed");
            return username;
        }), deleted -> complete(Json.ok(new Deleted(deleted))));
    }

    private static String describe(UserStore.@Nullable Role role, @Nullable Boolean disabled, @Nullable String email) {
        List<String> parts = new ArrayList<>();
        if (role != null) {
            parts.add("role " + wire(role));
        }
        if (disabled != null) {
            parts.add(disabled ? "disabled" : "enabled");
        }
        if (email != null) {
            parts.add(email.isEmpty() ? "email cleared" : "email " + email);
        }
        return String.join(", ", parts);
    }

    private static String wire(UserStore.Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static int auditLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_AUDIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.invalid("limit must be a whole number within 1.." + MAX_AUDIT);
    }

    private static Problem noSuchUser(String username) {
        return Problem.notFound("no user named \"" + username + "\"");
    }

    private static @Nullable String email(@Nullable String value) {
        String email = Fields.optional("email", value, UserStore.MAX_EMAIL);
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw Problem.invalid("email must be an address like name@example.org");
        }
        return email;
    }
}
