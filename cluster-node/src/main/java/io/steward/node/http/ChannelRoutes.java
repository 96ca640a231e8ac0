package io.steward.node.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.alerting.Severity;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.notify.Channel;
import io.steward.node.notify.ChannelKind;
import io.steward.node.notify.Notification;
import io.steward.node.notify.Outbox;
import io.steward.node.notify.Sender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/channels} (notification channels: list, create, replace, delete, send a test) and
 * {@code /api/notifications} (the outbox and every attempt). Secrets go in and never come back out.
 */
final class ChannelRoutes extends ApiDirectives {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_FILTER = 50;
    private static final int MAX_SECRET = 2000;

    ChannelRoutes(ApiContext context) {
        super(context);
    }

    private ApiContext.Notifications notifications() {
        return context.notifications();
    }

    Route route(UserStore.User user) {
        return concat(
                pathPrefix("channels", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> onSuccess(blocking(() -> notifications().channels().all()), list ->
                                        complete(Json.ok(list.stream().map(ChannelRoutes::describe).toList())))),
                                post(() -> admin(user, jsonBody(body -> {
                                    Instant now = context.clock().instant();
                                    Channel channel = parse("channel-" + Secrets.suffix(8), body, Map.of(), now, now);
                                    return onSuccess(blocking(() -> {
                                        notifications().channels().create(channel);
                                        return channel;
                                    }), created -> complete(Json.response(StatusCodes.CREATED, describe(created))));
                                }))))),
                        pathPrefix(PathMatchers.segment(ID), id -> concat(
                                pathEndOrSingleSlash(() -> concat(
                                        get(() -> withChannel(id, channel -> complete(Json.ok(describe(channel))))),
                                        put(() -> admin(user, jsonBody(body -> withChannel(id, existing -> {
                                            Channel channel = parse(id, body, existing.secrets(),
                                                    existing.createdAt(), context.clock().instant());
                                            return onSuccess(blocking(() -> {
                                                notifications().channels().replace(channel);
                                                return notifications().channels().find(id).orElse(channel);
                                            }), saved -> complete(Json.ok(describe(saved))));
                                        })))),
                                        delete(() -> admin(user, onSuccess(
                                                blocking(() -> notifications().channels().delete(id)),
                                                deleted -> deleted ? complete(Json.ok(Map.of("deleted", id)))
                                                        : notFound(id)))))),
                                path("test", () -> post(() -> admin(user, withChannel(id, this::sendTest)))))))),
                pathPrefix("notifications", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> parameterOptional("channel", channel ->
                                parameterOptional("limit", limit -> onSuccess(blocking(() ->
                                        notifications().outbox().list(channel.orElse(null), AlertRoutes.limit(limit.orElse(null), 100, 1000))),
                                        list -> complete(Json.ok(list.stream().map(this::describe).toList()))))))),
                        path(PathMatchers.longSegment().slash("attempts"), id -> get(() -> onSuccess(
                                blocking(() -> notifications().outbox().exists(id)
                                        ? notifications().outbox().attempts(id) : null),
                                list -> list == null
                                        ? complete(Json.error(StatusCodes.NOT_FOUND, "no notification " + id))
                                        : complete(Json.ok(list))))))));
    }

    private Route withChannel(String id, java.util.function.Function<Channel, Route> inner) {
        return onSuccess(blocking(() -> notifications().channels().find(id)), found ->
                found.map(inner).orElseGet(() -> notFound(id)));
    }

    /** Sends a test message now, outside the outbox, and answers with what the receiver said. */
    private Route sendTest(Channel channel) {
        Notification test = Notification.test(channel.name(), context.clock().instant(),
                notifications().publicUrl().get());
        return onSuccess(CompletableFuture.supplyAsync(() -> {
            try {
                notifications().sender().send(channel, test, 0);
                return (String) null;
            } catch (Sender.DeliveryException e) {
                return e.getMessage();
            }
        }, notifications().sendPool()), error -> error == null
                ? complete(Json.ok(Map.of("ok", true)))
                : complete(Json.error(StatusCodes.BAD_GATEWAY, error)));
    }

    private Route notFound(String id) {
        return complete(Json.error(StatusCodes.NOT_FOUND, "no channel " + id));
    }

    /** Builds a channel from the API's JSON; absent or empty secrets keep the stored ones. */
    static Channel parse(String id, JsonNode body, Map<String, String> storedSecrets, Instant createdAt,
            Instant now) {
        String name = AlertRoutes.requiredText(body, "name", 100);
        ChannelKind kind;
        try {
            kind = ChannelKind.parse(AlertRoutes.requiredText(body, "type", 16).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Json.BadRequest(e.getMessage());
        }
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull() && !enabledNode.isBoolean()) {
            throw new Json.BadRequest("enabled must be true or false");
        }
        boolean enabled = enabledNode == null || enabledNode.isNull() || enabledNode.asBoolean();
        Set<Severity> severities = EnumSet.allOf(Severity.class);
        if (body.hasNonNull("severities")) {
            severities = EnumSet.noneOf(Severity.class);
            for (String text : strings(body, "severities")) {
                try {
                    severities.add(Severity.valueOf(text.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new Json.BadRequest("severities: \"" + text + "\" is not warning or critical");
                }
            }
            if (severities.isEmpty()) {
                throw new Json.BadRequest("severities must name at least one severity");
            }
        }
        Integer remind = null;
        if (body.hasNonNull("remindEveryHours")) {
            JsonNode value = body.get("remindEveryHours");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 168) {
                throw new Json.BadRequest("remindEveryHours must be a whole number of hours from 1 to 168, or null");
            }
            remind = value.asInt();
        }
        JsonNode settingsNode = body.path("settings");
        if (!settingsNode.isMissingNode() && !settingsNode.isNull() && !settingsNode.isObject()) {
            throw new Json.BadRequest("settings must be an object");
        }
        Map<String, Object> settings = settingsNode.isObject()
                ? Json.MAPPER.convertValue(settingsNode, new TypeReference<Map<String, Object>>() {})
                : Map.of();
        settings.values().removeIf(java.util.Objects::isNull);
        Map<String, String> secrets = new LinkedHashMap<>();
        if (kind.secretNames().containsAll(storedSecrets.keySet())) {
            secrets.putAll(storedSecrets); // a type change drops secrets that belong to the old type
        }
        JsonNode secretsNode = body.path("secrets");
        if (secretsNode.isObject()) {
            var fields = secretsNode.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!field.getValue().isTextual() && !field.getValue().isNull()) {
                    throw new Json.BadRequest("secrets." + field.getKey() + " must be text");
                }
                String value = field.getValue().asText("");
                if (value.length() > MAX_SECRET) {
                    throw new Json.BadRequest("secrets." + field.getKey() + " is too long");
                }
                if (!value.isEmpty()) {
                    secrets.put(field.getKey(), value);
                }
            }
        } else if (!secretsNode.isMissingNode() && !secretsNode.isNull()) {
            throw new Json.BadRequest("secrets must be an object");
        }
        try {
            kind.validate(settings, secrets);
        } catch (IllegalArgumentException e) {
            throw new Json.BadRequest(e.getMessage());
        }
        List<String> groups = strings(body, "groups");
        List<String> tags = strings(body, "tags");
        // Each part must fit its column as stored (JSON), so a long but valid-looking input is a 400, not a 500.
        fits("settings", settings, 4000);
        fits("secrets", secrets, 4000);
        fits("groups", groups, 2000);
        fits("tags", tags, 2000);
        return new Channel(id, name, kind, enabled, severities, groups, tags, remind, settings, secrets, createdAt,
                now, null);
    }

    private static void fits(String field, Object value, int max) {
        try {
            if (Json.MAPPER.writeValueAsString(value).length() > max) {
                throw new Json.BadRequest(field + " is too long (at most " + max + " characters as JSON)");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Json.BadRequest(field + " cannot be stored: " + e.getOriginalMessage());
        }
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > MAX_FILTER) {
            throw new Json.BadRequest(field + " must be a list of at most " + MAX_FILTER + " names");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > 100) {
                throw new Json.BadRequest(field + " must hold non-empty names of at most 100 characters");
            }
            list.add(item.asText().strip());
        }
        return list;
    }

    static Map<String, Object> describe(Channel channel) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", channel.id());
        body.put("name", channel.name());
        body.put("type", channel.kind().wireName());
        body.put("enabled", channel.enabled());
        body.put("severities", channel.severities().stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT))
                .toList());
        body.put("groups", channel.groups());
        body.put("tags", channel.tags());
        body.put("remindEveryHours", channel.remindEveryHours());
        body.put("settings", channel.settings());
        body.put("secretsSet", channel.secrets().keySet().stream().sorted().toList());
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("lastSuccessAt", channel.health().lastSuccessAt());
        health.put("lastFailureAt", channel.health().lastFailureAt());
        health.put("lastError", channel.health().lastError());
        health.put("consecutiveFailures", channel.health().consecutiveFailures());
        health.put("failing", channel.health().failing());
        body.put("health", health);
        body.put("createdAt", channel.createdAt());
        body.put("updatedAt", channel.updatedAt());
        return body;
    }

    private Map<String, Object> describe(Outbox.Delivery delivery) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", delivery.id());
        body.put("channelId", delivery.channelId());
        body.put("channelName", delivery.channelName());
        body.put("serverId", delivery.serverId());
        body.put("serverName", delivery.serverName());
        body.put("kind", delivery.kind());
        body.put("severity", delivery.severity());
        body.put("subject", delivery.subject());
        body.put("state", delivery.state());
        body.put("attempts", delivery.attempts());
        body.put("nextAttemptAt", delivery.nextAttemptAt());
        body.put("lastError", delivery.lastError());
        body.put("createdAt", delivery.createdAt());
        body.put("deliveredAt", delivery.deliveredAt());
        return body;
    }
}
