package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.auth.UserStore;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code POST /api/enrollment-tokens} (admin): a token new agents exchange for their own credential. */
final class EnrollmentRoutes extends ApiDirectives {
    private static final Duration MAX_TTL = Duration.ofDays(30);

    EnrollmentRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return path("enrollment-tokens", () -> post(() -> admin(user, headerValueByName("Host", host ->
                entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), text -> {
                    JsonNode body = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.parseObject(text);
                    Duration ttl = ttl(body);
                    int maxUses = maxUses(body);
                    return onSuccess(blocking(() ->
                                    context.credentials().createEnrollmentToken(user.username(), ttl, maxUses)),
                            token -> complete(Json.response(StatusCodes.CREATED, describe(token, host))));
                })))));
    }

    private Map<String, Object> describe(AgentCredentials.EnrollmentToken token, String host) {
        String hub = "ws://" + host + "/ws/agent";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token.token());
        body.put("expiresAt", token.expiresAt().toString());
        body.put("maxUses", token.maxUses());
        body.put("hub", hub);
        body.put("command", "java " + AGENT_JVM_FLAGS + " -jar steward-agent.jar --hub " + hub
                + " --token " + token.token());
        body.put("systemdUnit", systemdUnit(hub, token.token()));
        return body;
    }

    /** The JVM flags measured to keep the agent small (README, "Measured"). */
    private static final String AGENT_JVM_FLAGS = "-Xmx16m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=40m -XX:CICompilerCount=1";

    /**
     * A unit like deploy/systemd/steward-agent.service. The token goes to a root-only environment file, not into the
     * world-readable unit; it is only needed until the agent has exchanged it for its own credential.
     */
    private static String systemdUnit(String hub, String token) {
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
                """.formatted(token, AGENT_JVM_FLAGS, hub);
    }

    private Duration ttl(JsonNode body) {
        if (!body.has("ttl")) {
            return context.settings().enrollmentTokenTtl();
        }
        try {
            Duration ttl = Duration.parse(body.get("ttl").asText());
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
                throw new Json.BadRequest("ttl must be positive and at most " + MAX_TTL.toDays() + " days");
            }
            return ttl;
        } catch (DateTimeParseException e) {
            throw new Json.BadRequest("ttl must be an ISO-8601 duration such as PT24H");
        }
    }

    private int maxUses(JsonNode body) {
        int limit = context.settings().enrollmentTokenMaxUses();
        if (!body.has("maxUses")) {
            return limit;
        }
        JsonNode value = body.get("maxUses");
        if (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > limit) {
            throw new Json.BadRequest("maxUses must be within 1.." + limit);
        }
        return value.asInt();
    }
}
