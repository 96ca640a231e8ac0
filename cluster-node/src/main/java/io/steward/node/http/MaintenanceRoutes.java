package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.MaintenanceWindow;
import io.steward.core.protocol.WireFormat;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.Maintenance;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /api/maintenance[/{id}]}: maintenance windows — once or recurring (cron and time zone) — over chosen
 * checks, a group's checks or every check. Inside one, alerts are suppressed and results kept.
 */
final class MaintenanceRoutes extends ApiDirectives {
    private static final Pattern ID = Pattern.compile("mw-[a-z0-9]{1,32}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    MaintenanceRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix("maintenance", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> onSuccess(blocking(() -> context.checks().maintenance().all()), windows -> {
                            ObjectNode answer = NODES.objectNode();
                            ArrayNode array = answer.putArray("windows");
                            Instant now = context.clock().instant();
                            windows.forEach(window -> array.add(answer(window, now)));
                            return complete(Json.ok(answer));
                        })),
                        post(() -> admin(user, body("mw-" + Secrets.suffix(10), window -> onSuccess(blocking(() -> {
                                    context.checks().maintenance().put(window, user.username());
                                    return window;
                                }), saved -> complete(Json.created(answer(saved, context.clock().instant()))))))))),
                path(PathMatchers.segment(), id -> !ID.matcher(id).matches() ? notFound(id) : concat(
                        get(() -> onSuccess(blocking(() -> context.checks().maintenance().get(id)), found -> found
                                .map(window -> complete(Json.ok(answer(window, context.clock().instant()))))
                                .orElseGet(() -> notFound(id)))),
                        put(() -> admin(user, body(id, window -> onSuccess(blocking(() -> {
                            if (context.checks().maintenance().get(id).isEmpty()) {
                                return false;
                            }
                            context.checks().maintenance().put(window, user.username());
                            return true;
                        }), saved -> saved ? complete(Json.ok(answer(window, context.clock().instant())))
                                : notFound(id))))),
                        delete(() -> admin(user, onSuccess(blocking(() -> context.checks().maintenance().remove(id)),
                                removed -> removed ? complete(Json.ok(new Deleted(id))) : notFound(id))))))));
    }

    private Route body(String id, java.util.function.Function<Maintenance, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(Unmarshaller.entityToString(), text -> inner.apply(parse(id, text))));
    }

    static Maintenance parse(String id, String text) {
        JsonNode json = Json.object(text);
        MaintenanceWindow window = null;
        JsonNode windowJson = json.get("window");
        if (windowJson != null && !windowJson.isNull()) {
            try {
                window = WireFormat.mapper().treeToValue(windowJson, MaintenanceWindow.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                Throwable cause = e.getCause();
                throw Problem.invalid("window." + (cause instanceof IllegalArgumentException
                        || cause instanceof NullPointerException ? cause.getMessage()
                        : "kind: \"once\" with start and end, or \"recurring\" with cron, timeZone and duration"));
            }
        }
        List<String> checks = new ArrayList<>();
        JsonNode checksJson = json.get("checks");
        if (checksJson != null && !checksJson.isNull()) {
            if (!checksJson.isArray()) {
                throw Problem.invalid("checks: a list of check ids");
            }
            checksJson.forEach(check -> checks.add(check.asText()));
        }
        try {
            return new Maintenance(id, json.path("name").isTextual() ? json.get("name").asText() : null, window,
                    checks, json.path("group").isTextual() ? json.get("group").asText() : null);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
    }

    private static ObjectNode answer(Maintenance window, Instant now) {
        ObjectNode answer = NODES.objectNode();
        answer.put("id", window.id());
        answer.put("name", window.name());
        answer.set("window", WireFormat.mapper().valueToTree(window.window()));
        ArrayNode checks = answer.putArray("checks");
        window.checks().forEach(checks::add);
        answer.put("group", window.group());
        answer.put("active", window.window().covers(now));
        return answer;
    }

    private Route notFound(String id) {
        return complete(ErrorResponses.of(Problem.notFound("no maintenance window " + id)));
    }
}
