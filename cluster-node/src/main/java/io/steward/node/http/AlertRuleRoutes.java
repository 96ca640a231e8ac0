package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.Comparison;
import io.steward.core.alerting.Severity;
import io.steward.core.fleet.ServerId;
import io.steward.core.metrics.SeriesName;
import io.steward.node.alerting.RuleStore;
import io.steward.node.alerting.SeverityName;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/** {@code /api/alert-rules}: list, create, replace, delete. Every change reaches all nodes' entities at once. */
final class AlertRuleRoutes extends ApiDirectives {
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** How a rule compares, as the API writes it. */
    public enum ComparisonName {
        ABOVE, BELOW;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which servers a rule covers. */
    public enum ScopeKind {
        GLOBAL, GROUP, TAG, SERVER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record ScopeBody(ScopeKind kind, @Nullable String value) {}

    /** A rule as the API shows it; {@code for} is an ISO-8601 duration such as {@code PT5M}. */
    public record RuleBody(String id, String name, String metric, ComparisonName comparison, double threshold,
            double recovery, @JsonProperty("for") Duration forDuration, SeverityName severity, ScopeBody scope,
            boolean enabled, String condition) {
        static RuleBody of(AlertRule rule) {
            return new RuleBody(rule.id(), rule.name(), rule.target().toString(),
                    ComparisonName.valueOf(rule.comparison().name()), rule.threshold(), rule.recovery(),
                    rule.forDuration(), SeverityName.of(rule.severity()),
                    new ScopeBody(ScopeKind.valueOf(RuleStore.scopeKind(rule.scope())),
                            RuleStore.scopeValue(rule.scope())),
                    rule.enabled(), rule.condition());
        }
    }

    /** The scope a rule is created with; absent means global. */
    public record ScopeRequest(@Nullable String kind, @Nullable String value) {}

    /**
     * {@code POST /api/alert-rules} and {@code PUT /api/alert-rules/{id}}. {@code recovery} defaults to the threshold
     * (no hysteresis), {@code for} to none, {@code enabled} to true; every mistake names its field.
     */
    public record RuleRequest(@Nullable String name, @Nullable String metric, @Nullable String comparison,
            @Nullable Double threshold, @Nullable Double recovery, @JsonProperty("for") @Nullable String forDuration,
            @Nullable String severity, @Nullable ScopeRequest scope, @Nullable Boolean enabled) {

        AlertRule toRule(String id) {
            String ruleName = text("name", name);
            SeriesName target;
            try {
                target = SeriesName.parse(text("metric", metric));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("metric: " + e.getMessage());
            }
            Comparison compare = switch (text("comparison", comparison).toLowerCase(Locale.ROOT)) {
                case "above", ">" -> Comparison.ABOVE;
                case "below", "<" -> Comparison.BELOW;
                default -> throw Problem.invalid("comparison must be \"above\" or \"below\"");
            };
            if (threshold == null) {
                throw Problem.invalid("threshold is required (a number)");
            }
            Duration holdFor = Duration.ZERO;
            if (forDuration != null) {
                try {
                    holdFor = Duration.parse(forDuration);
                } catch (DateTimeParseException e) {
                    throw Problem.invalid("for must be an ISO-8601 duration such as PT5M");
                }
            }
            Severity level;
            try {
                level = Severity.valueOf(text("severity", severity).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("severity must be \"warning\" or \"critical\"");
            }
            if (scope != null && "server".equalsIgnoreCase(scope.kind()) && scope.value() != null
                    && ServerId.parse(scope.value()).isEmpty()) {
                // A rule scoped to a server id that cannot exist would silently match nothing.
                throw Problem.invalid("scope.value: " + ServerId.describe(scope.value()));
            }
            try {
                return new AlertRule(id, ruleName, target, compare, threshold,
                        recovery == null ? threshold : recovery, holdFor, level,
                        RuleStore.scope(scope == null || scope.kind() == null ? "global" : scope.kind(),
                                scope == null ? null : scope.value()),
                        enabled == null || enabled);
            } catch (IllegalArgumentException e) {
                // The rule's own checks (safe side, name length, scope value) name what is wrong.
                throw Problem.invalid(e.getMessage());
            }
        }

        private static String text(String field, @Nullable String value) {
            if (value == null || value.isBlank()) {
                throw Problem.invalid(field + " is required (text)");
            }
            if (value.length() > SeriesName.MAX_LENGTH) {
                throw Problem.invalid(field + " is longer than " + SeriesName.MAX_LENGTH + " characters");
            }
            return value;
        }
    }

    AlertRuleRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix("alert-rules", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> onSuccess(blocking(() -> context.alerting().store().all()), rules ->
                                complete(Json.ok(rules.stream().map(RuleBody::of).toList())))),
                        post(() -> admin(user, jsonBody(RuleRequest.class, body -> {
                            AlertRule rule = body.toRule("rule-" + Secrets.suffix(8));
                            return onSuccess(blocking(() -> {
                                context.alerting().store().create(rule, user.username());
                                return rule;
                            }), created -> {
                                context.alerting().changed().run();
                                return complete(Json.created(RuleBody.of(created)));
                            });
                        }))))),
                path(PathMatchers.segment(RULE_ID), id -> concat(
                        get(() -> onSuccess(blocking(() -> context.alerting().store().find(id)), found -> found
                                .map(rule -> complete(Json.ok(RuleBody.of(rule))))
                                .orElseGet(() -> notFound(id)))),
                        put(() -> admin(user, jsonBody(RuleRequest.class, body -> {
                            AlertRule rule = body.toRule(id);
                            return onSuccess(blocking(() -> context.alerting().store().replace(rule, user.username())),
                                    replaced -> replaced ? changed(RuleBody.of(rule)) : notFound(id));
                        }))),
                        delete(() -> admin(user, onSuccess(
                                blocking(() -> context.alerting().store().delete(id)),
                                deleted -> deleted ? changed(new Deleted(id)) : notFound(id))))))));
    }

    private Route changed(Object body) {
        context.alerting().changed().run();
        return complete(Json.ok(body));
    }

    private Route notFound(String id) {
        return complete(ErrorResponses.of(Problem.notFound("no alert rule " + id)));
    }
}
