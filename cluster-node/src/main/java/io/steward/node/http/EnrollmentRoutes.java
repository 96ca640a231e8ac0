package io.steward.node.http;

import io.steward.core.fleet.ServerId;
import io.steward.core.tls.CertificatePin;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.auth.EnrollmentTokens;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import io.steward.node.server.LifecycleCommand;
import io.steward.node.server.ServerEntity;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * Agent identity for admins: enrollment tokens ({@code /api/enrollment-tokens}: create, list, revoke), re-enrollments
 * of known machines waiting for approval ({@code /api/re-enrollments}) and revoking one server's agent credential
 * ({@code POST /api/servers/{id}/credential/revoke}).
 */
final class EnrollmentRoutes extends ApiDirectives {
    private static final Duration MAX_TTL = Duration.ofDays(30);

    /** {@code POST /api/enrollment-tokens}: both optional (the configured defaults: single use). */
    public record TokenRequest(@Nullable String ttl, @Nullable Integer maxUses) {
        static final TokenRequest DEFAULTS = new TokenRequest(null, null);
    }

    /**
     * A new token, with the command and the systemd unit that enroll an agent with it.
     *
     * @param hub this node's agent endpoint (the first of {@code hubs})
     * @param pinSha256 this node certificate's fingerprint the agent pins, when it is self-signed; else null
     * @param hubs every member's agent endpoint announced so far, this node's first: the command's {@code --hub}, so
     *     an agent can fail over from its first start on
     * @param pinsSha256 the fingerprints of those members' self-signed certificates, this node's first (empty when
     *     this node's certificate is not self-signed): the command's {@code --pin-sha256}
     * @param installCommand the one-line install (curl this node's install.sh, run it as root); null when this node
     *     serves no downloads ({@code steward.downloads.dir}) or plain HTTP
     * @param uninstallCommand the line that removes an agent installed so; null with {@code installCommand}
     */
    public record TokenBody(String id, String token, Instant expiresAt, int maxUses, String hub,
            @Nullable String pinSha256, String command, String systemdUnit, List<String> hubs,
            List<String> pinsSha256, @Nullable String installCommand, @Nullable String uninstallCommand) {}

    /** {@code GET /api/enrollment-tokens}: newest first, never the tokens themselves. */
    public record TokenList(List<EnrollmentTokens.TokenInfo> tokens) {}

    /** {@code GET /api/re-enrollments}: requests waiting for an admin, oldest first. */
    public record ReEnrollmentList(List<AgentCredentials.PendingReEnrollment> requests) {}

    /** The answer to revoking a token or a credential, approving or denying a re-enrollment. */
    public record IdentityChanged(String id, String change) {}

    EnrollmentRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return concat(
                pathPrefix("enrollment-tokens", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                post(() -> admin(user, create(user))),
                                get(() -> admin(user, onSuccess(blocking(() -> context.credentials().tokens().list()),
                                        tokens -> complete(Json.ok(new TokenList(tokens)))))))),
                        path(PathMatchers.segment(), id -> delete(() -> admin(user, revokeToken(id, user)))))),
                pathPrefix("re-enrollments", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> admin(user,
                                onSuccess(blocking(() -> context.credentials().pendingReEnrollments()),
                                        pending -> complete(Json.ok(new ReEnrollmentList(pending))))))),
                        pathPrefix(PathMatchers.segment(), id -> concat(
                                path("approve", () -> post(() -> admin(user, decide(id, true, user)))),
                                path("deny", () -> post(() -> admin(user, decide(id, false, user)))))))),
                pathPrefix("servers", () -> pathPrefix(PathMatchers.segment(), segment ->
                        path(PathMatchers.segment("credential").slash("revoke"), () ->
                                post(() -> admin(user, revokeCredential(segment, user)))))));
    }

    private Route create(UserStore.User user) {
        return optionalHeaderValueByName("Host", host -> {
            // The agent URL comes from the public URL, or from a Host that names this node: never from whatever
            // Host a request carries, or a forged one would send new agents (and their tokens) elsewhere.
            Optional<String> hub = context.address().agentHub(host);
            Optional<String> base = context.address().webBase(host);
            if (hub.isEmpty() || base.isEmpty()) {
                return complete(unknownHost(host));
            }
            return optionalJsonBody(TokenRequest.class, TokenRequest.DEFAULTS, body -> {
                Duration ttl = ttl(body);
                int maxUses = maxUses(body);
                return onSuccess(blocking(() -> context.credentials().tokens().create(user.username(), ttl, maxUses)),
                        token -> complete(Json.created(describe(token, hub.get(), base.get(),
                                context.address().selfSignedPin()))));
            });
        });
    }

    private Route revokeToken(String id, UserStore.User user) {
        return onSuccess(blocking(() -> context.credentials().tokens().revoke(id, user.username())), revoked -> {
            if (!revoked) {
                throw Problem.notFound("no enrollment token " + id + " (or it was revoked already)");
            }
            return complete(Json.ok(new IdentityChanged(id, "revoked")));
        });
    }

    /** Stores the decision, then records it in the server's history (which closes the old agent on approval). */
    private Route decide(String requestId, boolean approve, UserStore.User user) {
        CompletionStage<IdentityChanged> done = blocking(() -> approve
                ? context.credentials().approveReEnrollment(requestId, user.username())
                : context.credentials().denyReEnrollment(requestId, user.username()))
                .thenCompose(decision -> record(decision, approve ? LifecycleCommand.CredentialDecision.APPROVED
                        : LifecycleCommand.CredentialDecision.DENIED, user))
                .thenApply(decision -> new IdentityChanged(requestId, approve ? "approved" : "denied"));
        return onSuccess(done, body -> complete(Json.ok(body)));
    }

    private CompletionStage<Done> record(Optional<AgentCredentials.Decision> decision,
            LifecycleCommand.CredentialDecision kind, UserStore.User user) {
        if (decision.isEmpty()) {
            return CompletableFuture.failedFuture(Problem.notFound("no re-enrollment waiting for approval with this id"));
        }
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, decision.get().serverId())
                .askWithStatus(replyTo -> new LifecycleCommand.DecideCredential(kind, decision.get().requestId(),
                        user.username(), replyTo), context.settings().askTimeout());
    }

    private Route revokeCredential(String segment, UserStore.User user) {
        ServerId id = serverId(segment);
        CompletionStage<IdentityChanged> done = blocking(() -> context.credentials().revokeCredential(id.value()))
                .thenCompose(revoked -> {
                    if (!revoked) {
                        throw Problem.notFound("unknown server " + id.value());
                    }
                    return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id.value())
                            .<Done>askWithStatus(replyTo -> new LifecycleCommand.DecideCredential(
                                    LifecycleCommand.CredentialDecision.REVOKED, null, user.username(), replyTo),
                                    context.settings().askTimeout());
                })
                .thenApply(ignored -> new IdentityChanged(id.value(), "credential-revoked"));
        return onSuccess(done, body -> complete(Json.ok(body)));
    }

    private TokenBody describe(EnrollmentTokens.EnrollmentToken token, String hub, String base,
            Optional<CertificatePin> pin) {
        AgentEndpoints endpoints = AgentEndpoints.of(context, hub);
        List<String> hubs = endpoints.hubs();
        List<String> pins = endpoints.pins();
        String hubList = String.join(",", hubs);
        String trust = pins.isEmpty() ? "" : " --pin-sha256 " + String.join(",", pins);
        Optional<InstallCommand> install = InstallCommand.of(context.settings().downloadsDir().isPresent(), base,
                token.token(), hubs, pins, context.address().selfSignedPublicKeyPin());
        return new TokenBody(token.id(), token.token(), token.expiresAt(), token.maxUses(), hub,
                pin.map(Object::toString).orElse(null),
                "java " + AGENT_JVM_FLAGS + " -jar steward-agent.jar --hub " + hubList + trust + " --token "
                        + token.token(),
                AgentUnit.text(hubList + trust, token.token(), AGENT_JVM_FLAGS), hubs, pins,
                install.map(InstallCommand::install).orElse(null), install.map(InstallCommand::uninstall).orElse(null));
    }

    /**
     * The JVM flags measured to keep the agent small (README, "Measured"). Written out again in the shipped unit, the
     * bundle's launcher, both READMEs and the benches' lib.sh; AgentJvmFlagsTest holds every copy to this one.
     */
    static final String AGENT_JVM_FLAGS = "-Xms4m -Xmx16m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=40m -XX:CICompilerCount=1"
            + " -XX:MaxDirectMemorySize=8m -Xmn2m -XX:-UsePerfData";

    private Duration ttl(TokenRequest body) {
        if (body.ttl() == null) {
            return context.settings().enrollmentTokenTtl();
        }
        try {
            Duration ttl = Duration.parse(body.ttl());
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
                throw Problem.invalid("ttl must be positive and at most " + MAX_TTL.toDays() + " days");
            }
            return ttl;
        } catch (DateTimeParseException e) {
            throw Problem.invalid("ttl must be an ISO-8601 duration such as PT24H");
        }
    }

    private int maxUses(TokenRequest body) {
        int limit = context.settings().enrollmentTokenMaxUses();
        if (body.maxUses() == null) {
            return context.settings().enrollmentTokenDefaultUses();
        }
        if (body.maxUses() < 1 || body.maxUses() > limit) {
            throw Problem.invalid("maxUses must be within 1.." + limit);
        }
        return body.maxUses();
    }
}
