package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.Comparison;
import io.steward.core.alerting.Severity;
import io.steward.core.metrics.SeriesName;
import io.steward.node.alerting.RuleStore;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /api/alert-rules}: list, create, replace, delete. Every change reaches all nodes' entities at once. */
final class AlertRuleRoutes extends ApiDirectives {
    private static final java.util.regex.Pattern RULE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    AlertRuleRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix("alert-rules", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> onSuccess(blocking(() -> context.alerting().store().all()), rules ->
                                complete(Json.ok(rules.stream().map(AlertRuleRoutes::describe).toList())))),
                        post(() -> admin(user, jsonBody(body -> {
                            AlertRule rule = parse("rule-" + Secrets.suffix(8), body);
                            return onSuccess(blocking(() -> {
                                context.alerting().store().create(rule, user.username());
                                return rule;
                            }), created -> {
                                context.alerting().changed().run();
                                return complete(Json.response(StatusCodes.CREATED, describe(created)));
                            });
                        }))))),
                path(PathMatchers.segment(RULE_ID), id -> concat(
                        get(() -> onSuccess(blocking(() -> context.alerting().store().find(id)), found -> found
                                .map(rule -> complete(Json.ok(describe(rule))))
                                .orElseGet(() -> notFound(id)))),
                        put(() -> admin(user, jsonBody(body -> {
                            AlertRule rule = parse(id, body);
                            return onSuccess(blocking(() -> context.alerting().store().replace(rule, user.username())),
                                    replaced -> replaced ? changed(describe(rule)) : notFound(id));
                        }))),
                        delete(() -> admin(user, onSuccess(
                                blocking(() -> context.alerting().store().delete(id)),
                                deleted -> deleted ? changed(Map.of("deleted", id)) : notFound(id))))))));
    }

    private Route changed(Object body) {
        context.alerting().changed().run();
        return complete(Json.ok(body));
    }

    private Route notFound(String id) {
        return complete(Json.error(StatusCodes.NOT_FOUND, "no alert rule " + id));
    }

    /** Builds a rule from the API's JSON; every mistake is a 400 that names the field. */
    static AlertRule parse(String id, JsonNode body) {
        String name = text(body, "name");
        SeriesName target;
        try {
            target = SeriesName.parse(text(body, "metric"));
        } catch (IllegalArgumentException e) {
            throw new Json.BadRequest("metric: " + e.getMessage());
        }
        Comparison comparison = switch (text(body, "comparison").toLowerCase(Locale.ROOT)) {
            case "above", ">" -> Comparison.ABOVE;
            case "below", "<" -> Comparison.BELOW;
            default -> throw new Json.BadRequest("comparison must be \"above\" or \"below\"");
        };
        double threshold = number(body, "threshold");
        double recovery = body.hasNonNull("recovery") ? number(body, "recovery") : threshold;
        Duration forDuration = Duration.ZERO;
        if (body.hasNonNull("for")) {
            try {
                forDuration = Duration.parse(body.get("for").asText());
            } catch (DateTimeParseException e) {
                throw new Json.BadRequest("for must be an ISO-8601 duration such as PT5M");
            }
        }
        Severity severity;
        try {
            severity = Severity.valueOf(text(body, "severity").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Json.BadRequest("severity must be \"warning\" or \"critical\"");
        }
        JsonNode scope = body.path("scope");
        boolean enabled = !body.has("enabled") || body.get("enabled").asBoolean(true);
        try {
            return new AlertRule(id, name, target, comparison, threshold, recovery, forDuration, severity,
                    RuleStore.scope(scope.path("kind").asText("global"),
                            scope.hasNonNull("value") ? scope.get("value").asText() : null),
                    enabled);
        } catch (IllegalArgumentException e) {
            throw new Json.BadRequest(e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new Json.BadRequest(field + " is required (text)");
        }
        if (value.asText().length() > SeriesName.MAX_LENGTH) {
            throw new Json.BadRequest(field + " is longer than " + SeriesName.MAX_LENGTH + " characters");
        }
        return value.asText();
    }

    private static double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isNumber()) {
            throw new Json.BadRequest(field + " is required (a number)");
        }
        return value.asDouble();
    }

    static Map<String, Object> describe(AlertRule rule) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", rule.id());
        body.put("name", rule.name());
        body.put("metric", rule.target().toString());
        body.put("comparison", rule.comparison().name().toLowerCase(Locale.ROOT));
        body.put("threshold", rule.threshold());
        body.put("recovery", rule.recovery());
        body.put("for", rule.forDuration().toString());
        body.put("severity", rule.severity().name().toLowerCase(Locale.ROOT));
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("kind", RuleStore.scopeKind(rule.scope()).toLowerCase(Locale.ROOT));
        scope.put("value", RuleStore.scopeValue(rule.scope()));
        body.put("scope", scope);
        body.put("enabled", rule.enabled());
        body.put("condition", rule.condition());
        return body;
    }
}
