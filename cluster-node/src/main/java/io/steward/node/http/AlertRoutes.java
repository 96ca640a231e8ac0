package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.notify.AlertReads;
import io.steward.node.notify.Silence;
import io.steward.node.server.ServerEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/alerts} (active alerts, history, acknowledge), {@code /api/silences} (maintenance windows) and
 * {@code /api/inbox} (the bell). Acknowledging goes through the server's entity, which persists it.
 */
final class AlertRoutes extends ApiDirectives {
    private static final int MAX_HISTORY = 1000;
    private static final int MAX_SILENCE_MINUTES = 43_200; // 30 days
    private static final int MAX_COMMENT = 500;

    AlertRoutes(ApiContext context) {
        super(context);
    }

    private AlertReads reads() {
        return context.notifications().reads();
    }

    Route route(UserStore.User user) {
        return concat(
                pathPrefix("alerts", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> onSuccess(blocking(() -> {
                            List<Silence> silences = reads().silences();
                            return reads().active().stream().map(e -> describeActive(e, silences)).toList();
                        }), list -> complete(Json.ok(list))))),
                        path("history", () -> get(() -> parameterOptional("server", server -> server.orElse("")
                                .length() > 200 ? complete(Json.error(StatusCodes.BAD_REQUEST,
                                "server is longer than 200 characters")) :
                                parameterOptional("severity", severity -> parameterOptional("limit", limit ->
                                        onSuccess(blocking(() -> reads().history(server.orElse(null),
                                                severity.map(AlertRoutes::severity).orElse(null),
                                                limit(limit.orElse(null), 200, MAX_HISTORY))), list -> complete(Json.ok(
                                                list.stream().map(AlertRoutes::describeHistory).toList())))))))),
                        path("ack", () -> post(() -> admin(user, jsonBody(body -> acknowledge(user, body))))))),
                pathPrefix("silences", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> onSuccess(blocking(() -> reads().silences()), list ->
                                        complete(Json.ok(list.stream().map(AlertRoutes::describe).toList())))),
                                post(() -> admin(user, jsonBody(body -> silence(user, body)))))),
                        path(PathMatchers.segment(), id -> delete(() -> admin(user, onSuccess(
                                blocking(() -> reads().endSilence(id)), ended -> ended
                                        .<Route>map(silence -> onSuccess(record(silence, null, user), done ->
                                                complete(Json.ok(Map.of("ended", id)))))
                                        .orElseGet(() -> complete(Json.error(StatusCodes.NOT_FOUND,
                                                "no active silence " + id))))))))),
                pathPrefix("inbox", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> onSuccess(
                                blocking(() -> reads().inbox(user.username(), 50)), inbox ->
                                        complete(Json.ok(Map.of("unread", inbox.unread(), "items", inbox.items())))))),
                        path("read", () -> post(() -> jsonBody(body -> {
                            JsonNode upTo = body.get("upTo");
                            if (upTo == null || !upTo.isIntegralNumber() || !upTo.canConvertToLong()
                                    || upTo.asLong() < 0) {
                                throw new Json.BadRequest("upTo is required (the newest item id read)");
                            }
                            return onSuccess(blocking(() -> {
                                reads().markRead(user.username(), upTo.asLong());
                                return reads().unread(user.username());
                            }), unread -> complete(Json.ok(Map.of("unread", unread))));
                        }))))));
    }

    private Route acknowledge(UserStore.User user, JsonNode body) {
        String serverId = requiredText(body, "serverId", 64);
        String key = requiredText(body, "key", 400);
        String comment = optionalText(body, "comment", MAX_COMMENT);
        return onSuccess(context.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId)
                        .<ActiveAlert>askWithStatus(replyTo -> new ServerEntity.Acknowledge(key, user.username(),
                                comment, replyTo), context.settings().askTimeout()),
                alert -> complete(Json.ok(describeAlert(serverId, alert))));
    }

    private Route silence(UserStore.User user, JsonNode body) {
        String serverId = optionalText(body, "serverId", 64);
        String ruleId = optionalText(body, "ruleId", 64);
        if (serverId == null && ruleId == null) {
            throw new Json.BadRequest("name a serverId or a ruleId (or both) to silence");
        }
        JsonNode minutes = body.get("minutes");
        if (minutes == null || !minutes.isIntegralNumber() || !minutes.canConvertToInt() || minutes.asInt() < 1
                || minutes.asInt() > MAX_SILENCE_MINUTES) {
            throw new Json.BadRequest("minutes must be a whole number from 1 to " + MAX_SILENCE_MINUTES);
        }
        Instant now = context.clock().instant();
        Silence silence = new Silence("silence-" + Secrets.suffix(8), serverId, ruleId,
                now.plus(Duration.ofMinutes(minutes.asInt())), optionalText(body, "comment", MAX_COMMENT),
                user.username(), now);
        CompletionStage<Boolean> ruleKnown = ruleId == null ? CompletableFuture.completedFuture(true)
                : blocking(() -> context.alerting().store().find(ruleId).isPresent());
        return onSuccess(ruleKnown, known -> {
            if (!known) {
                return complete(Json.error(StatusCodes.NOT_FOUND, "no alert rule " + ruleId));
            }
            // The server's entity records the window in its history first (and answers 404 for an unknown one).
            return onSuccess(record(silence, silence.until(), user), recorded ->
                    onSuccess(blocking(() -> {
                        reads().createSilence(silence);
                        return silence;
                    }), created -> complete(Json.response(StatusCodes.CREATED, describe(created)))));
        });
    }

    private CompletionStage<Done> record(Silence silence, Instant until, UserStore.User user) {
        if (silence.serverId() == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, silence.serverId())
                .askWithStatus(replyTo -> new ServerEntity.RecordSilence(silence.id(), until, user.username(),
                        silence.comment(), replyTo), context.settings().askTimeout());
    }

    private static String severity(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        if (!value.equals("warning") && !value.equals("critical")) {
            throw new Json.BadRequest("severity must be warning or critical");
        }
        return value;
    }

    /** A {@code limit} query parameter: absent = {@code fallback}, else a whole number from 1 to {@code max}. */
    static int limit(String text, int fallback, int max) {
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1 || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new Json.BadRequest("limit must be a whole number from 1 to " + max);
        }
    }

    static String requiredText(JsonNode body, String field, int max) {
        String value = optionalText(body, field, max);
        if (value == null) {
            throw new Json.BadRequest(field + " is required");
        }
        return value;
    }

    static String optionalText(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Json.BadRequest(field + " must be text");
        }
        String text = value.asText().strip();
        if (text.length() > max) {
            throw new Json.BadRequest(field + " is longer than " + max + " characters");
        }
        return text.isEmpty() ? null : text;
    }

    private static Map<String, Object> describeActive(AlertReads.Episode episode, List<Silence> silences) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serverId", episode.serverId());
        body.put("serverName", episode.serverName());
        body.put("key", episode.key());
        body.put("ruleId", episode.ruleId());
        body.put("ruleName", episode.ruleName());
        body.put("series", episode.series());
        body.put("severity", episode.severity());
        body.put("phase", episode.phase());
        body.put("since", episode.since());
        body.put("value", episode.value());
        body.put("condition", episode.condition());
        body.put("acknowledged", episode.ackBy() == null ? null
                : ack(episode.ackBy(), episode.ackAt(), episode.ackComment()));
        Optional<Instant> silencedUntil = silences.stream()
                .filter(s -> s.covers(episode.serverId(), episode.ruleId(), Instant.now()))
                .map(Silence::until).max(Instant::compareTo);
        body.put("silencedUntil", silencedUntil.orElse(null));
        return body;
    }

    private static Map<String, Object> describeAlert(String serverId, ActiveAlert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serverId", serverId);
        body.put("key", alert.key());
        body.put("ruleId", alert.ruleId());
        body.put("ruleName", alert.ruleName());
        body.put("series", alert.series());
        body.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        body.put("phase", alert.phase().name().toLowerCase(Locale.ROOT));
        body.put("since", alert.since());
        body.put("value", alert.value());
        body.put("condition", alert.condition());
        ActiveAlert.Acknowledgement ack = alert.acknowledged();
        body.put("acknowledged", ack == null ? null : ack(ack.by(), ack.at(), ack.comment()));
        return body;
    }

    private static Map<String, Object> ack(String by, Instant at, String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", by);
        body.put("at", at);
        body.put("comment", comment);
        return body;
    }

    private static Map<String, Object> describeHistory(AlertReads.Episode episode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", episode.id());
        body.put("serverId", episode.serverId());
        body.put("serverName", episode.serverName());
        body.put("ruleId", episode.ruleId());
        body.put("ruleName", episode.ruleName());
        body.put("series", episode.series());
        body.put("severity", episode.severity());
        body.put("condition", episode.condition());
        body.put("firedAt", episode.firedAt());
        body.put("firedValue", episode.firedValue());
        body.put("resolvedAt", episode.resolvedAt());
        body.put("resolvedValue", episode.resolvedValue());
        body.put("resolveReason", episode.resolveReason());
        body.put("acknowledgedBy", episode.ackBy());
        body.put("acknowledgedAt", episode.ackAt());
        body.put("ackComment", episode.ackComment());
        return body;
    }

    private static Map<String, Object> describe(Silence silence) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", silence.id());
        body.put("serverId", silence.serverId());
        body.put("ruleId", silence.ruleId());
        body.put("until", silence.until());
        body.put("comment", silence.comment());
        body.put("by", silence.by());
        body.put("createdAt", silence.createdAt());
        return body;
    }
}
