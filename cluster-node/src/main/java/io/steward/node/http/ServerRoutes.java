package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.metrics.Point;
import io.steward.core.metrics.SeriesName;
import io.steward.node.auth.UserStore;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/** {@code /api/servers}: the fleet, one server's detail, metric history, audit events, edit and delete. */
final class ServerRoutes extends ApiDirectives {
    private static final Pattern SERVER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final int MAX_EVENTS_PAGE = 500;
    private static final Duration MAX_RANGE = Duration.ofDays(3 * 366);

    private final JdbcReadJournal journal;
    private final Materializer materializer;

    ServerRoutes(ApiContext context) {
        super(context);
        this.journal = PersistenceQuery.get(Adapter.toClassic(context.system()))
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        this.materializer = Materializer.matFromSystem(context.system());
    }

    Route route(UserStore.User user) {
        return pathPrefix("servers", () -> concat(
                pathEndOrSingleSlash(() -> get(this::list)),
                pathPrefix(PathMatchers.segment(SERVER_ID), id -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> detail(id)),
                                patch(() -> admin(user, update(id, user))),
                                delete(() -> admin(user, remove(id, user))))),
                        path("metrics", () -> get(() -> metrics(id))),
                        path("events", () -> get(() -> events(id)))))));
    }

    private EntityRef<ServerEntity.Command> entity(String id) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id);
    }

    private Duration askTimeout() {
        return context.settings().askTimeout();
    }

    private Route list() {
        return onSuccess(context.fleet().summaries(), found -> complete(Json.ok(found)));
    }

    private Route detail(String id) {
        return onSuccess(entity(id).<ServerEntity.ServerDetail>askWithStatus(ServerEntity.GetDetail::new, askTimeout()),
                detail -> {
                    Map<String, Object> body = Json.MAPPER.convertValue(detail.summary(), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
                    body.put("system", detail.system());
                    body.put("latest", detail.latest());
                    body.put("recent", detail.recent());
                    body.put("lastEventSequence", detail.lastEventSequence());
                    return complete(Json.ok(body));
                });
    }

    private Route metrics(String id) {
        return parameter("name", name -> parameterOptional("from", fromText -> parameterOptional("to", toText -> {
            SeriesName series;
            try {
                series = SeriesName.parse(name);
            } catch (IllegalArgumentException e) {
                throw new Json.BadRequest("name: " + e.getMessage());
            }
            Instant now = context.clock().instant();
            Instant to = toText.map(text -> instant("to", text)).orElse(now);
            Instant from = fromText.map(text -> instant("from", text)).orElse(to.minus(Duration.ofHours(1)));
            if (!from.isBefore(to)) {
                throw new Json.BadRequest("from must be before to");
            }
            if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                throw new Json.BadRequest("range longer than " + MAX_RANGE.toDays() + " days");
            }
            CompletionStage<Map<String, Object>> result = entity(id)
                    .<ServerEntity.ServerDetail>askWithStatus(ServerEntity.GetDetail::new, askTimeout())
                    .thenCompose(detail -> {
                        Duration interval = detail.latest() == null
                                ? Duration.ofSeconds(5) : Duration.ofMillis(detail.latest().intervalMillis());
                        return context.metrics().range(id, series.toString(), from, to, interval, now);
                    })
                    .thenApply(found -> {
                        // [epochMillis, value]: an integer timestamp, as charting libraries expect.
                        List<List<Number>> points = new ArrayList<>(found.points().size());
                        for (Point point : found.points()) {
                            points.add(List.of(point.epochMillis(), point.value()));
                        }
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("name", series.toString());
                        body.put("resolution", found.resolution().label());
                        body.put("from", from.toString());
                        body.put("to", to.toString());
                        body.put("points", points);
                        return body;
                    });
            return onSuccess(result, body -> complete(Json.ok(body)));
        })));
    }

    private Route events(String id) {
        return parameterOptional("limit", limitText -> parameterOptional("before", beforeText -> {
            int limit = limitText.map(text -> integer("limit", text, 1, MAX_EVENTS_PAGE)).orElse(50);
            CompletionStage<Long> top = beforeText.isPresent()
                    ? CompletableFuture.completedFuture(integer("before", beforeText.get(), 1, Long.MAX_VALUE) - 1)
                    : entity(id).<ServerEntity.ServerDetail>askWithStatus(ServerEntity.GetDetail::new, askTimeout())
                            .thenApply(ServerEntity.ServerDetail::lastEventSequence);
            String persistenceId = PersistenceId.of(ServerEntity.TYPE_KEY.name(), id).id();
            CompletionStage<Map<String, Object>> page = top.thenCompose(highest -> {
                long lowest = Math.max(1, highest - limit + 1);
                if (highest < 1) {
                    return CompletableFuture.completedFuture(List.<EventEnvelope>of());
                }
                return journal.currentEventsByPersistenceId(persistenceId, lowest, highest)
                        .runWith(Sink.seq(), materializer);
            }).thenApply(envelopes -> {
                List<Map<String, Object>> events = new ArrayList<>(envelopes.size());
                long oldest = Long.MAX_VALUE;
                for (int i = envelopes.size() - 1; i >= 0; i--) {
                    EventEnvelope envelope = envelopes.get(i);
                    events.add(describe(envelope));
                    oldest = Math.min(oldest, envelope.sequenceNr());
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("events", events);
                body.put("nextBefore", oldest > 1 && oldest != Long.MAX_VALUE ? oldest : null);
                return body;
            });
            return onSuccess(page, body -> complete(Json.ok(body)));
        }));
    }

    /** An audit entry: sequence, type (the event's name), when, and its fields as details. */
    private static Map<String, Object> describe(EventEnvelope envelope) {
        Object event = envelope.event();
        Map<String, Object> details = Json.MAPPER.convertValue(event, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
        Object at = details.remove("at");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sequence", envelope.sequenceNr());
        entry.put("type", event.getClass().getSimpleName());
        entry.put("at", at);
        entry.put("details", details);
        return entry;
    }

    private Route update(String id, UserStore.User user) {
        return jsonBody(body -> {
            ServerEntity.DetailsPatch patch = patchOf(body);
            return onSuccess(entity(id).<ServerSummary>askWithStatus(
                            replyTo -> new ServerEntity.UpdateDetails(patch, user.username(), replyTo), askTimeout()),
                    summary -> complete(Json.ok(summary)));
        });
    }

    private static ServerEntity.DetailsPatch patchOf(JsonNode body) {
        EnumSet<ServerEntity.DetailField> fields = EnumSet.noneOf(ServerEntity.DetailField.class);
        String displayName = optionalText(body, "displayName", fields, ServerEntity.DetailField.DISPLAY_NAME);
        String group = optionalText(body, "group", fields, ServerEntity.DetailField.GROUP);
        String notes = optionalText(body, "notes", fields, ServerEntity.DetailField.NOTES);
        List<String> tags = null;
        if (body.has("tags")) {
            fields.add(ServerEntity.DetailField.TAGS);
            JsonNode node = body.get("tags");
            if (!node.isNull()) {
                if (!node.isArray()) {
                    throw new Json.BadRequest("tags must be an array of strings");
                }
                tags = new ArrayList<>();
                for (JsonNode tag : node) {
                    if (!tag.isTextual()) {
                        throw new Json.BadRequest("tags must be an array of strings");
                    }
                    tags.add(tag.asText());
                }
            }
        }
        if (fields.isEmpty()) {
            throw new Json.BadRequest("nothing to change: send displayName, group, tags or notes");
        }
        return new ServerEntity.DetailsPatch(fields, displayName, group, tags, notes);
    }

    private static String optionalText(JsonNode body, String field, EnumSet<ServerEntity.DetailField> fields,
            ServerEntity.DetailField flag) {
        if (!body.has(field)) {
            return null;
        }
        fields.add(flag);
        JsonNode node = body.get(field);
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Json.BadRequest(field + " must be a string or null");
        }
        return node.asText();
    }

    private Route remove(String id, UserStore.User user) {
        CompletionStage<Done> deleted = entity(id)
                .<Done>askWithStatus(replyTo -> new ServerEntity.Delete(user.username(), replyTo), askTimeout())
                .thenCompose(done -> blocking(() -> {
                    context.credentials().forgetServer(id);
                    deleteJournal(id);
                    return Done.getInstance();
                }))
                .thenCompose(done -> context.metrics().deleteServer(id).thenApply(ignored -> Done.getInstance()));
        return onSuccess(deleted, done -> complete(Json.ok(Map.of("deleted", id))));
    }

    private void deleteJournal(String id) throws java.sql.SQLException {
        String persistenceId = PersistenceId.of(ServerEntity.TYPE_KEY.name(), id).id();
        try (Connection connection = context.database().dataSource().getConnection();
                PreparedStatement events = connection.prepareStatement(
                        "DELETE FROM event_journal WHERE persistence_id = ?");
                PreparedStatement snapshots = connection.prepareStatement(
                        "DELETE FROM snapshot WHERE persistence_id = ?")) {
            events.setString(1, persistenceId);
            events.executeUpdate();
            snapshots.setString(1, persistenceId);
            snapshots.executeUpdate();
        }
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Json.BadRequest(field + " must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
        }
    }

    private static long integer(String field, String text, long min, long max) {
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new Json.BadRequest(field + " must be within " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new Json.BadRequest(field + " must be a whole number");
        }
    }

    private static int integer(String field, String text, int min, int max) {
        return (int) integer(field, text, (long) min, (long) max);
    }
}
