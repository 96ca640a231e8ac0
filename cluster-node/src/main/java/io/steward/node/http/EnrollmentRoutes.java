package io.steward.node.http;

import io.steward.core.tls.CertificatePin;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/** {@code POST /api/enrollment-tokens} (admin): a token new agents exchange for their own credential. */
final class EnrollmentRoutes extends ApiDirectives {
    private static final Duration MAX_TTL = Duration.ofDays(30);

    /** {@code POST /api/enrollment-tokens}: both optional (the configured defaults). */
    public record TokenRequest(@Nullable String ttl, @Nullable Integer maxUses) {
        static final TokenRequest DEFAULTS = new TokenRequest(null, null);
    }

    /**
     * A new token, with the command and the systemd unit that enroll an agent with it.
     *
     * @param pinSha256 the node certificate's fingerprint the agent pins, when it is self-signed; else null
     */
    public record TokenBody(String token, Instant expiresAt, int maxUses, String hub, @Nullable String pinSha256,
            String command, String systemdUnit) {}

    EnrollmentRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return path("enrollment-tokens", () -> post(() -> admin(user, optionalHeaderValueByName("Host", host -> {
            // The agent URL comes from the public URL, or from a Host that names this node: never from whatever
            // Host a request carries, or a forged one would send new agents (and their tokens) elsewhere.
            Optional<String> hub = context.address().agentHub(host);
            if (hub.isEmpty()) {
                return complete(unknownHost(host));
            }
            return optionalJsonBody(TokenRequest.class, TokenRequest.DEFAULTS, body -> {
                Duration ttl = ttl(body);
                int maxUses = maxUses(body);
                return onSuccess(blocking(() ->
                                context.credentials().createEnrollmentToken(user.username(), ttl, maxUses)),
                        token -> complete(Json.created(describe(token, hub.get(),
                                context.address().selfSignedPin()))));
            });
        }))));
    }

    private TokenBody describe(AgentCredentials.EnrollmentToken token, String hub, Optional<CertificatePin> pin) {
        // A self-signed node's certificate is pinned; a CA-issued one needs nothing extra (a private CA: --ca-file).
        String trust = pin.map(p -> " --pin-sha256 " + p).orElse("");
        return new TokenBody(token.token(), token.expiresAt(), token.maxUses(), hub, pin.map(Object::toString)
                .orElse(null),
                "java " + AGENT_JVM_FLAGS + " -jar steward-agent.jar --hub " + hub + trust + " --token "
                        + token.token(),
                systemdUnit(hub + trust, token.token()));
    }

    /** The JVM flags measured to keep the agent small (README, "Measured"). */
    private static final String AGENT_JVM_FLAGS = "-Xmx16m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=40m -XX:CICompilerCount=1";

    /**
     * A unit like deploy/systemd/steward-agent.service. The token goes to a root-only environment file, not into the
     * world-readable unit; it is only needed until the agent has exchanged it for its own credential.
     */
    private static String systemdUnit(String hubAndTrust, String token) {
        return """
                # 1. Token (root-only file):
                #    install -d -m 700 /etc/steward && install -m 600 /dev/null /etc/steward/agent.env
                #    echo 'STEWARD_TOKEN=%s' > /etc/steward/agent.env
                # 2. This file as /etc/systemd/system/steward-agent.service, the jar as /opt/steward/steward-agent.jar
                # 3. systemctl daemon-reload && systemctl enable --now steward-agent
                [Unit]
                Description=Steward agent
                After=network-online.target
                Wants=network-online.target

                [Service]
                DynamicUser=yes
                StateDirectory=steward-agent
                EnvironmentFile=/etc/steward/agent.env
                Environment=MALLOC_ARENA_MAX=2
                ExecStart=/usr/bin/java %s -jar /opt/steward/steward-agent.jar --hub %s --state-dir /var/lib/steward-agent
                SuccessExitStatus=143
                Restart=always
                RestartSec=5
                NoNewPrivileges=true
                ProtectSystem=strict
                ProtectHome=read-only
                PrivateTmp=true

                [Install]
                WantedBy=multi-user.target
                """.formatted(token, AGENT_JVM_FLAGS, hubAndTrust);
    }

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
            return limit;
        }
        if (body.maxUses() < 1 || body.maxUses() > limit) {
            throw Problem.invalid("maxUses must be within 1.." + limit);
        }
        return body.maxUses();
    }
}
