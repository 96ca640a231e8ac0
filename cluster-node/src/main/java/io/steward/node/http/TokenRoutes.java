package io.steward.node.http;

import io.steward.node.auth.ApiTokens;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Instant;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/tokens}: API tokens for scripts. Everyone manages their own (an admin sees and revokes everyone's);
 * only an admin may make an admin-scoped one; a token cannot make another.
 */
final class TokenRoutes extends ApiDirectives {

    /** A token as listed; {@code scope} is "read-only" or "admin". */
    public record ApiTokenBody(String id, String username, String name, String scope, Instant createdAt,
            @Nullable Instant lastUsedAt, @Nullable String lastUsedFrom) {
        static ApiTokenBody of(ApiTokens.Token token) {
            return new ApiTokenBody(token.id(), token.username(), token.name(), token.scope().wireName(),
                    token.createdAt(), token.lastUsedAt(), token.lastUsedFrom());
        }
    }

    /** {@code POST /api/tokens}. */
    public record ApiTokenRequest(String name, @Nullable String scope) {
        public ApiTokenRequest {
            name = Fields.required("name", name, ApiTokens.MAX_NAME);
        }
    }

    /** A new token with its secret, shown this once: send it as {@code Authorization: Bearer <secret>}. */
    public record ApiTokenCreated(ApiTokenBody token, String secret) {}

    TokenRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix("tokens", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> onSuccess(blocking(() -> context.accounts().tokens()
                                .list(user.role() == UserStore.Role.ADMIN ? null : user.username())), tokens ->
                                complete(Json.ok(tokens.stream().map(ApiTokenBody::of).toList())))),
                        post(() -> extractRequest(request -> jsonBody(ApiTokenRequest.class, body ->
                                create(user, body, hasBearer(request))))))),
                path(PathMatchers.segment(), id -> delete(() -> revoke(user, id)))));
    }

    private Route create(UserStore.User user, ApiTokenRequest body, boolean byToken) {
        if (byToken) {
            throw new Problem(Problem.Code.FORBIDDEN, "create API tokens from a login session, not with a token");
        }
        ApiTokens.Scope scope = ApiTokens.Scope.parse("scope", body.scope() == null ? "read-only" : body.scope());
        if (scope == ApiTokens.Scope.ADMIN && user.role() != UserStore.Role.ADMIN) {
            throw new Problem(Problem.Code.FORBIDDEN, "only an admin can create an admin token");
        }
        return onSuccess(blocking(() -> {
            ApiTokens.Created created = context.accounts().tokens().create(user.username(), body.name(), scope);
            context.accounts().audit().record(user.username(), "token.created", created.token().id(),
                    "\"" + body.name() + "\", " + scope.wireName());
            return created;
        }), created -> complete(Json.created(new ApiTokenCreated(ApiTokenBody.of(created.token()), created.secret()))));
    }

    private Route revoke(UserStore.User user, String id) {
        return onSuccess(blocking(() -> {
            ApiTokens.Token token = context.accounts().tokens().find(id)
                    .filter(found -> user.role() == UserStore.Role.ADMIN || found.username().equals(user.username()))
                    .orElseThrow(() -> Problem.notFound("no API token " + id));
            context.accounts().tokens().revoke(id);
            context.accounts().audit().record(user.username(), "token.revoked", id,
                    "\"" + token.name() + "\" of " + token.username());
            return id;
        }), revoked -> complete(Json.ok(new Deleted(revoked))));
    }
}
