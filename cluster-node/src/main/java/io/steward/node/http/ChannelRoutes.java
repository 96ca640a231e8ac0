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

    /**
     * A channel as the API shows it: {@code secretsSet} names the secrets stored, never their values. Viewers get it
     * {@code redacted}: no settings (addresses, URLs, chat ids) and no last error (it names the destination).
     * {@code secretsCleared} names the secrets a save just dropped because the destination changed.
     */
    public record ChannelBody(String id, String name, ChannelKind type, boolean enabled, List<SeverityName> severities,
            List<String> groups, List<String> tags, @Nullable Integer remindEveryHours, Map<String, Object> settings,
            List<String> secretsSet, List<String> secretsCleared, boolean redacted, HealthBody health,
            Instant createdAt, Instant updatedAt) {

        static ChannelBody of(Channel channel, List<String> secretsCleared) {
            Channel.Health health = channel.health();
            return new ChannelBody(channel.id(), channel.name(), channel.kind(), channel.enabled(),
                    channel.severities().stream().sorted().map(SeverityName::of).toList(), channel.groups(),
                    channel.tags(), channel.remindEveryHours(), channel.settings(),
                    channel.secrets().keySet().stream().sorted().toList(), secretsCleared, false,
                    new HealthBody(health.lastSuccessAt(), health.lastFailureAt(), health.lastError(),
                            health.consecutiveFailures(), health.failing()),
                    channel.createdAt(), channel.updatedAt());
        }

        /** As {@code user} may see it. */
        static ChannelBody of(Channel channel, UserStore.User user) {
            ChannelBody body = of(channel, List.of());
            if (user.role() == UserStore.Role.ADMIN) {
                return body;
            }
            HealthBody health = body.health();
            return new ChannelBody(body.id(), body.name(), body.type(), body.enabled(), body.severities(),
                    body.groups(), body.tags(), body.remindEveryHours(), Map.of(), body.secretsSet(), List.of(), true,
                    new HealthBody(health.lastSuccessAt(), health.lastFailureAt(), null,
                            health.consecutiveFailures(), health.failing()),
                    body.createdAt(), body.updatedAt());
        }
    }

    /**
     * {@code POST /api/channels} and {@code PUT /api/channels/{id}}. Absent or empty secrets keep the stored ones,
     * unless the destination changes (see {@link ChannelKind#destinationSettings()}): then they are dropped unless
     * entered again. {@code severities} defaults to all, {@code enabled} to true.
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

        /** For a viewer, without the last error: it names the destination (host, port, the receiver's answer). */
        static DeliveryBody of(Outbox.Delivery delivery, boolean admin) {
            DeliveryBody body = of(delivery);
            return admin ? body : new DeliveryBody(body.id(), body.channelId(), body.channelName(), body.serverId(),
                    body.serverName(), body.kind(), body.severity(), body.subject(), body.state(), body.attempts(),
                    body.nextAttemptAt(), null, body.createdAt(), body.deliveredAt());
        }

        static DeliveryBody of(Outbox.Delivery delivery) {
            return new DeliveryBody(delivery.id(), delivery.channelId(), delivery.channelName(), delivery.serverId(),
                    delivery.serverName(), DeliveryKind.valueOf(delivery.kind().toUpperCase(Locale.ROOT)),
                    delivery.severity() == null ? null : SeverityName.parse(delivery.severity()),
                    delivery.subject(), DeliveryState.valueOf(delivery.state().toUpperCase(Locale.ROOT)),
                    delivery.attempts(), delivery.nextAttemptAt(), delivery.lastError(), delivery.createdAt(),
                    delivery.deliveredAt());
        }
    }

    /** A channel built from a request, and the stored secrets it dropped because its destination changed. */
    record Parsed(Channel channel, List<String> secretsCleared) {}

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
                                        complete(Json.ok(list.stream().map(c -> ChannelBody.of(c, user)).toList())))),
                                post(() -> admin(user, jsonBody(ChannelRequest.class, body -> {
                                    Instant now = context.clock().instant();
                                    Parsed parsed = parse("channel-" + Secrets.suffix(8), body, null, now);
                                    return onSuccess(blocking(() -> {
                                        checkEgress(parsed.channel());
                                        notifications().channels().create(parsed.channel());
                                        return parsed.channel();
                                    }), created -> complete(Json.created(ChannelBody.of(created, List.of()))));
                                }))))),
                        pathPrefix(PathMatchers.segment(ID), id -> concat(
                                pathEndOrSingleSlash(() -> concat(
                                        get(() -> withChannel(id, channel ->
                                                complete(Json.ok(ChannelBody.of(channel, user))))),
                                        put(() -> admin(user, jsonBody(ChannelRequest.class, body ->
                                                withChannel(id, existing -> {
                                                    Parsed parsed = parse(id, body, existing,
                                                            context.clock().instant());
                                                    Channel channel = parsed.channel();
                                                    return onSuccess(blocking(() -> {
                                                        checkEgress(channel);
                                                        notifications().channels().replace(channel);
                                                        return notifications().channels().find(id).orElse(channel);
                                                    }), saved -> complete(Json.ok(
                                                            ChannelBody.of(saved, parsed.secretsCleared()))));
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
                                        list -> complete(Json.ok(list.stream()
                                                .map(delivery -> DeliveryBody.of(delivery, isAdmin(user))).toList()))))))),
                        path(PathMatchers.longSegment().slash("attempts"), id -> get(() -> onSuccess(
                                blocking(() -> notifications().outbox().exists(id)
                                        ? notifications().outbox().attempts(id) : null),
                                list -> list == null
                                        ? complete(ErrorResponses.of(Problem.notFound("no notification " + id)))
                                        : complete(Json.ok(isAdmin(user) ? list : list.stream()
                                                .map(a -> new Outbox.Attempt(a.at(), a.ok(), null, a.millis()))
                                                .toList()))))))));
    }

    /** Refuses a destination the egress policy denies (resolving host names: blocking, so on the blocking pool). */
    private void checkEgress(Channel channel) {
        channel.kind().destinations(channel.settings(), channel.secrets()).forEach((field, destination) -> {
            try {
                notifications().egress().check(field, destination);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid(e.getMessage());
            }
        });
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

    /**
     * Builds a channel from the request, over {@code existing} (null when creating): absent or empty secrets keep the
     * stored ones, unless a destination setting changed, which drops every stored secret not entered again (so a
     * session cannot send the stored bot token or password to a host of its choosing).
     */
    static Parsed parse(String id, ChannelRequest body, @Nullable Channel existing, Instant now) {
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
        Map<String, String> entered = new LinkedHashMap<>();
        if (body.secrets() != null) {
            body.secrets().forEach((secret, value) -> {
                if (value != null && value.length() > MAX_SECRET) {
                    throw Problem.invalid("secrets." + secret + " is too long");
                }
                if (value != null && !value.isEmpty()) {
                    entered.put(secret, value);
                }
            });
        }
        Map<String, String> stored = existing == null ? Map.of() : existing.secrets();
        boolean sameKind = existing != null && existing.kind() == kind;
        boolean destinationChanged = sameKind && !kind.changedDestinations(existing.settings(), settings).isEmpty();
        Map<String, String> secrets = new LinkedHashMap<>();
        // A type change drops secrets that belong to the old type; a destination change drops them all.
        if (!destinationChanged && kind.secretNames().containsAll(stored.keySet())) {
            secrets.putAll(stored);
        }
        secrets.putAll(entered);
        List<String> cleared = stored.keySet().stream().filter(secret -> !secrets.containsKey(secret)).sorted()
                .toList();
        try {
            kind.validate(settings, secrets, !destinationChanged || cleared.isEmpty());
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        List<String> groups = Fields.names("groups", body.groups(), MAX_FILTER, 100);
        List<String> tags = Fields.names("tags", body.tags(), MAX_FILTER, 100);
        // Each part must fit its column as stored (JSON), so a long but valid-looking input is a 400, not a 500.
        fits("settings", settings, 4000);
        try {
            // Sealed (encrypted, base64) they grow by a third: 2900 bytes of JSON still fit the 4000 column.
            if (Json.MAPPER.writeValueAsBytes(secrets).length > 2900) {
                throw Problem.invalid("secrets are too long (at most 2900 bytes as JSON)");
            }
        } catch (JsonProcessingException e) {
            throw Problem.invalid("secrets cannot be stored: " + e.getOriginalMessage());
        }
        fits("groups", groups, 2000);
        fits("tags", tags, 2000);
        return new Parsed(new Channel(id, name, kind, enabled, severities, groups, tags, remind, settings, secrets,
                existing == null ? now : existing.createdAt(), now, null), destinationChanged ? cleared : List.of());
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

    private static boolean isAdmin(UserStore.User user) {
        return user.role() == UserStore.Role.ADMIN;
    }
}
