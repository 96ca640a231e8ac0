package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.core.alerting.Severity;
import io.steward.node.alerting.SeverityName;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.notify.Channel;
import io.steward.node.notify.ChannelKind;
import io.steward.node.notify.Notification;
import io.steward.node.notify.Outbox;
import io.steward.node.notify.Sender;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/channels} (notification channels: list, create, replace, delete, send a test) and
 * {@code /api/notifications} (the outbox and every attempt). Secrets go in and never come back out.
 */
final class ChannelRoutes extends ApiDirectives {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_FILTER = 50;
    private static final int MAX_SECRET = 2000;

    /** How delivery to a channel has been going; {@code failing} raises an in-app warning. */
    public record HealthBody(@Nullable Instant lastSuccessAt, @Nullable Instant lastFailureAt,
            @Nullable String lastError, int consecutiveFailures, boolean failing) {}

    /** A channel as the API shows it: {@code secretsSet} names the secrets stored, never their values. */
    public record ChannelBody(String id, String name, ChannelKind type, boolean enabled, List<SeverityName> severities,
            List<String> groups, List<String> tags, @Nullable Integer remindEveryHours, Map<String, Object> settings,
            List<String> secretsSet, HealthBody health, Instant createdAt, Instant updatedAt) {

        static ChannelBody of(Channel channel) {
            Channel.Health health = channel.health();
            return new ChannelBody(channel.id(), channel.name(), channel.kind(), channel.enabled(),
                    channel.severities().stream().sorted().map(SeverityName::of).toList(), channel.groups(),
                    channel.tags(), channel.remindEveryHours(), channel.settings(),
                    channel.secrets().keySet().stream().sorted().toList(),
                    new HealthBody(health.lastSuccessAt(), health.lastFailureAt(), health.lastError(),
                            health.consecutiveFailures(), health.failing()),
                    channel.createdAt(), channel.updatedAt());
        }
    }

    /**
     * {@code POST /api/channels} and {@code PUT /api/channels/{id}}. Absent or empty secrets keep the stored ones;
     * {@code severities} defaults to all, {@code enabled} to true.
     */
    public record ChannelRequest(@Nullable String name, @Nullable String type, @Nullable Boolean enabled,
            @Nullable List<String> severities, @Nullable List<String> groups, @Nullable List<String> tags,
            @Nullable Integer remindEveryHours, @Nullable Map<String, Object> settings,
            @Nullable Map<String, String> secrets) {}

    /** What became of a delivery. */
    public enum DeliveryState {
        PENDING, DELIVERED, FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a message was sent. */
    public enum DeliveryKind {
        FIRING, RESOLVED, REMINDER, TEST;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One message in the outbox, with where its delivery stands. */
    public record DeliveryBody(long id, String channelId, @Nullable String channelName, @Nullable String serverId,
            @Nullable String serverName, DeliveryKind kind, @Nullable SeverityName severity, String subject,
            DeliveryState state, int attempts, @Nullable Instant nextAttemptAt, @Nullable String lastError,
            Instant createdAt, @Nullable Instant deliveredAt) {

        static DeliveryBody of(Outbox.Delivery delivery) {
            return new DeliveryBody(delivery.id(), delivery.channelId(), delivery.channelName(), delivery.serverId(),
                    delivery.serverName(), DeliveryKind.valueOf(delivery.kind().toUpperCase(Locale.ROOT)),
                    delivery.severity() == null ? null : SeverityName.parse(delivery.severity()),
                    delivery.subject(), DeliveryState.valueOf(delivery.state().toUpperCase(Locale.ROOT)),
                    delivery.attempts(), delivery.nextAttemptAt(), delivery.lastError(), delivery.createdAt(),
                    delivery.deliveredAt());
        }
    }

    /** A test message went through. */
    public record TestSent(boolean ok) {}

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
                                        complete(Json.ok(list.stream().map(ChannelBody::of).toList())))),
                                post(() -> admin(user, jsonBody(ChannelRequest.class, body -> {
                                    Instant now = context.clock().instant();
                                    Channel channel = parse("channel-" + Secrets.suffix(8), body, Map.of(), now, now);
                                    return onSuccess(blocking(() -> {
                                        notifications().channels().create(channel);
                                        return channel;
                                    }), created -> complete(Json.created(ChannelBody.of(created))));
                                }))))),
                        pathPrefix(PathMatchers.segment(ID), id -> concat(
                                pathEndOrSingleSlash(() -> concat(
                                        get(() -> withChannel(id, channel ->
                                                complete(Json.ok(ChannelBody.of(channel))))),
                                        put(() -> admin(user, jsonBody(ChannelRequest.class, body ->
                                                withChannel(id, existing -> {
                                                    Channel channel = parse(id, body, existing.secrets(),
                                                            existing.createdAt(), context.clock().instant());
                                                    return onSuccess(blocking(() -> {
                                                        notifications().channels().replace(channel);
                                                        return notifications().channels().find(id).orElse(channel);
                                                    }), saved -> complete(Json.ok(ChannelBody.of(saved))));
                                                })))),
                                        delete(() -> admin(user, onSuccess(
                                                blocking(() -> notifications().channels().delete(id)),
                                                deleted -> deleted
                                                        ? complete(Json.ok(new Deleted(id)))
                                                        : notFound(id)))))),
                                path("test", () -> post(() -> admin(user, withChannel(id, this::sendTest)))))))),
                pathPrefix("notifications", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> parameterOptional("channel", channel ->
                                parameterOptional("limit", limit -> onSuccess(blocking(() ->
                                        notifications().outbox().list(channel.orElse(null),
                                                AlertRoutes.limit(limit.orElse(null), 100, 1000))),
                                        list -> complete(Json.ok(list.stream().map(DeliveryBody::of).toList()))))))),
                        path(PathMatchers.longSegment().slash("attempts"), id -> get(() -> onSuccess(
                                blocking(() -> notifications().outbox().exists(id)
                                        ? notifications().outbox().attempts(id) : null),
                                list -> list == null
                                        ? complete(ErrorResponses.of(Problem.notFound("no notification " + id)))
                                        : complete(Json.ok(list))))))));
    }

    private Route withChannel(String id, Function<Channel, Route> inner) {
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
                ? complete(Json.ok(new TestSent(true)))
                : complete(ErrorResponses.of(Problem.upstreamFailed(error))));
    }

    private Route notFound(String id) {
        return complete(ErrorResponses.of(Problem.notFound("no channel " + id)));
    }

    /** Builds a channel from the request; absent or empty secrets keep the stored ones. */
    static Channel parse(String id, ChannelRequest body, Map<String, String> storedSecrets, Instant createdAt,
            Instant now) {
        String name = Fields.required("name", body.name(), 100);
        ChannelKind kind;
        try {
            kind = ChannelKind.parse(Fields.required("type", body.type(), 16).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        boolean enabled = body.enabled() == null || body.enabled();
        Set<Severity> severities = EnumSet.allOf(Severity.class);
        if (body.severities() != null) {
            severities = EnumSet.noneOf(Severity.class);
            for (String text : Fields.names("severities", body.severities(), MAX_FILTER, 100)) {
                try {
                    severities.add(Severity.valueOf(text.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw Problem.invalid("severities: \"" + text + "\" is not warning or critical");
                }
            }
            if (severities.isEmpty()) {
                throw Problem.invalid("severities must name at least one severity");
            }
        }
        Integer remind = body.remindEveryHours();
        if (remind != null && (remind < 1 || remind > 168)) {
            throw Problem.invalid("remindEveryHours must be a whole number of hours from 1 to 168, or null");
        }
        Map<String, Object> settings = new LinkedHashMap<>(body.settings() == null ? Map.of() : body.settings());
        settings.values().removeIf(Objects::isNull);
        Map<String, String> secrets = new LinkedHashMap<>();
        if (kind.secretNames().containsAll(storedSecrets.keySet())) {
            secrets.putAll(storedSecrets); // a type change drops secrets that belong to the old type
        }
        if (body.secrets() != null) {
            body.secrets().forEach((secret, value) -> {
                if (value != null && value.length() > MAX_SECRET) {
                    throw Problem.invalid("secrets." + secret + " is too long");
                }
                if (value != null && !value.isEmpty()) {
                    secrets.put(secret, value);
                }
            });
        }
        try {
            kind.validate(settings, secrets);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        List<String> groups = Fields.names("groups", body.groups(), MAX_FILTER, 100);
        List<String> tags = Fields.names("tags", body.tags(), MAX_FILTER, 100);
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
                throw Problem.invalid(field + " is too long (at most " + max + " characters as JSON)");
            }
        } catch (JsonProcessingException e) {
            throw Problem.invalid(field + " cannot be stored: " + e.getOriginalMessage());
        }
    }
}
