package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.steward.core.fleet.ServerId;
import io.steward.core.metrics.Point;
import io.steward.core.metrics.SeriesName;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import io.steward.node.server.DetailsCommand;
import io.steward.node.server.LifecycleCommand;
import io.steward.node.server.LiveCommand;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerDetail;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerEvent;
import io.steward.node.server.ServerHistory;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.SystemIdentity;
import io.steward.node.server.WindowPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.jspecify.annotations.Nullable;
import org.openapitools.jackson.nullable.JsonNullable;

/** {@code /api/servers}: the fleet, one server's detail, metric history, audit events, edit and delete. */
final class ServerRoutes extends ApiDirectives {
    private static final int MAX_EVENTS_PAGE = 500;
    private static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(5);

    /** {@code GET /api/servers/{id}}: the summary's fields, then what the detail page adds. */
    public record ServerDetailBody(
            @JsonUnwrapped ServerSummary summary,
            @Nullable SystemIdentity system,
            @Nullable MetricsReport latest,
            List<WindowPoint> recent,
            long lastEventSequence) {
        static ServerDetailBody of(ServerDetail detail) {
            return new ServerDetailBody(detail.summary(), detail.system(), detail.latest(), detail.recent(),
                    detail.lastEventSequence());
        }
    }

    /**
     * {@code PATCH /api/servers/{id}}: only the fields present change; {@code null} clears one.
     */
    public record ServerPatchRequest(JsonNullable<String> displayName, JsonNullable<String> group,
            JsonNullable<List<String>> tags, JsonNullable<String> notes) {

        DetailsCommand.Patch patch() {
            EnumSet<DetailsCommand.Field> fields = EnumSet.noneOf(DetailsCommand.Field.class);
            if (present(displayName)) {
                fields.add(DetailsCommand.Field.DISPLAY_NAME);
            }
            if (present(group)) {
                fields.add(DetailsCommand.Field.GROUP);
            }
            if (present(tags)) {
                fields.add(DetailsCommand.Field.TAGS);
            }
            if (present(notes)) {
                fields.add(DetailsCommand.Field.NOTES);
            }
            if (fields.isEmpty()) {
                throw Problem.invalid("nothing to change: send displayName, group, tags or notes");
            }
            return new DetailsCommand.Patch(fields, valueOf(displayName), valueOf(group), valueOf(tags),
                    valueOf(notes));
        }

        private static boolean present(JsonNullable<?> field) {
            return field != null && field.isPresent();
        }

        private static <T> T valueOf(JsonNullable<T> field) {
            return present(field) ? field.get() : null;
        }
    }

    /** {@code GET /api/servers/{id}/metrics}: {@code points} are {@code [epochMillis, value]} pairs. */
    public record MetricSeriesBody(String name, String resolution, Instant from, Instant to,
            List<SeriesPoint> points) {}

    /** One chart point as charting libraries expect it: an integer timestamp and a value, in a two-element array. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record SeriesPoint(long epochMillis, double value) {}

    /** {@code GET /api/servers/{id}/events}: newest first; {@code nextBefore} pages to older ones. */
    public record HistoryPage(List<ServerHistory.Entry> events, @Nullable Long nextBefore) {}

    /** {@code DELETE /api/servers/{id}}. */

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
                pathPrefix(PathMatchers.segment(), segment -> {
                    ServerId id = serverId(segment);
                    return concat(
                            pathEndOrSingleSlash(() -> concat(
                                    get(() -> detail(id)),
                                    patch(() -> admin(user, update(id, user))),
                                    delete(() -> admin(user, remove(id, user))))),
                            path("metrics", () -> get(() -> metrics(id))),
                            path("events", () -> get(() -> events(id, user))));
                })));
    }

    private EntityRef<ServerCommand> entity(ServerId id) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id.value());
    }

    private Duration askTimeout() {
        return context.settings().askTimeout();
    }

    private CompletionStage<ServerDetail> askDetail(ServerId id) {
        return entity(id).askWithStatus(LiveCommand.GetDetail::new, askTimeout());
    }

    private Route list() {
        return onSuccess(context.overview().summaries(), found -> complete(Json.ok(found)));
    }

    private Route detail(ServerId id) {
        return onSuccess(askDetail(id), detail -> complete(Json.ok(ServerDetailBody.of(detail))));
    }

    private Route metrics(ServerId id) {
        return parameter("name", name -> parameterOptional("from", fromText -> parameterOptional("to", toText -> {
            SeriesName series;
            try {
                series = SeriesName.parse(name);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("name: " + e.getMessage());
            }
            Instant now = context.clock().instant();
            ChartRange range = ChartRange.parse(fromText, toText, now);
            Instant from = range.from();
            Instant to = range.to();
            CompletionStage<MetricSeriesBody> result = askDetail(id)
                    .thenCompose(detail -> context.metrics().range(id.value(), series.toString(), from, to,
                            reportInterval(detail), now))
                    .thenApply(found -> {
                        List<SeriesPoint> points = new ArrayList<>(found.points().size());
                        for (Point point : found.points()) {
                            points.add(new SeriesPoint(point.epochMillis(), point.value()));
                        }
                        return new MetricSeriesBody(series.toString(), found.resolution().label(), from, to, points);
                    });
            return onSuccess(result, body -> complete(Json.ok(body)));
        })));
    }

    private Route events(ServerId id, UserStore.User user) {
        boolean admin = user.role() == UserStore.Role.ADMIN;
        return parameterOptional("limit", limitText -> parameterOptional("before", beforeText -> {
            int limit = limitText.map(text -> (int) integer("limit", text, 1, MAX_EVENTS_PAGE)).orElse(50);
            CompletionStage<Long> top = beforeText.isPresent()
                    ? CompletableFuture.completedFuture(integer("before", beforeText.get(), 1, Long.MAX_VALUE) - 1)
                    : askDetail(id).thenApply(ServerDetail::lastEventSequence);
            String persistenceId = ServerEntity.persistenceId(id).id();
            CompletionStage<HistoryPage> page = top.thenCompose(highest -> {
                long lowest = Math.max(1, highest - limit + 1);
                if (highest < 1) {
                    return CompletableFuture.completedFuture(List.<EventEnvelope>of());
                }
                return journal.currentEventsByPersistenceId(persistenceId, lowest, highest)
                        .runWith(Sink.seq(), materializer);
            }).thenApply(envelopes -> {
                List<ServerHistory.Entry> events = new ArrayList<>(envelopes.size());
                long oldest = Long.MAX_VALUE;
                for (int i = envelopes.size() - 1; i >= 0; i--) {
                    EventEnvelope envelope = envelopes.get(i);
                    ServerHistory.Entry entry = ServerHistory.entry(envelope.sequenceNr(), (ServerEvent) envelope.event());
                    events.add(admin ? entry : ServerHistory.forViewer(entry));
                    oldest = Math.min(oldest, envelope.sequenceNr());
                }
                return new HistoryPage(events, oldest > 1 && oldest != Long.MAX_VALUE ? oldest : null);
            });
            return onSuccess(page, body -> complete(Json.ok(body)));
        }));
    }

    private Route update(ServerId id, UserStore.User user) {
        return jsonBody(ServerPatchRequest.class, body -> {
            DetailsCommand.Patch patch = body.patch();
            return onSuccess(entity(id).<ServerSummary>askWithStatus(
                            replyTo -> new DetailsCommand.UpdateDetails(patch, user.username(), replyTo), askTimeout()),
                    summary -> complete(Json.ok(summary)));
        });
    }

    private Route remove(ServerId id, UserStore.User user) {
        CompletionStage<Done> deleted = entity(id)
                // Answered once the agent's reports in flight are stored, so the data deleted below is all of it.
                .<Done>askWithStatus(replyTo -> new LifecycleCommand.Delete(user.username(), replyTo),
                        askTimeout().plus(ServerEntity.DELETE_DRAIN_LIMIT))
                .thenCompose(done -> blocking(() -> {
                    context.credentials().forgetServer(id.value());
                    deleteJournal(id);
                    return Done.getInstance();
                }))
                .thenCompose(done -> context.metrics().deleteServer(id.value()));
        return onSuccess(deleted, done -> complete(Json.ok(new Deleted(id.value()))));
    }

    private void deleteJournal(ServerId id) throws java.sql.SQLException {
        String persistenceId = ServerEntity.persistenceId(id).id();
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

    /** The interval the server reports at (the tier planner's estimate of raw rows); 5 s before its first report. */
    static Duration reportInterval(ServerDetail detail) {
        return detail.latest() == null ? DEFAULT_REPORT_INTERVAL : Duration.ofMillis(detail.latest().intervalMillis());
    }

    private static long integer(String field, String text, long min, long max) {
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw Problem.invalid(field + " must be within " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw Problem.invalid(field + " must be a whole number");
        }
    }
}
