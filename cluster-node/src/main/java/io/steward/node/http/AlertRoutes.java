package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.fleet.ServerId;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.SeverityName;
import io.steward.node.auth.Secrets;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.CheckCommand;
import io.steward.node.checks.CheckEntity;
import io.steward.node.checks.CheckId;
import io.steward.node.notify.AlertReads;
import io.steward.node.notify.InboxItem;
import io.steward.node.notify.Silence;
import io.steward.node.problem.Problem;
import io.steward.node.server.AlertCommand;
import io.steward.node.server.ServerEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/alerts} (active alerts, history, acknowledge), {@code /api/silences} (maintenance windows) and
 * {@code /api/inbox} (the bell). Acknowledging goes through the server's entity, which persists it.
 */
final class AlertRoutes extends ApiDirectives {
    private static final int MAX_HISTORY = 1000;
    private static final int MAX_SILENCE_MINUTES = 43_200; // 30 days
    private static final int MAX_COMMENT = 500;
    private static final int MAX_KEY = 400;
    private static final int MAX_RULE_ID = 64;

    /** Pending (its rule's "for" is running) or firing. */
    public enum AlertPhase {
        PENDING, FIRING;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record AcknowledgementBody(String by, Instant at, @Nullable String comment) {}

    /** One pending or firing alert of the fleet. */
    public record ActiveAlertBody(String serverId, @Nullable String serverName, String key, String ruleId,
            @Nullable String ruleName, String series, SeverityName severity, AlertPhase phase, Instant since,
            @Nullable Double value, @Nullable String condition, @Nullable AcknowledgementBody acknowledged,
            @Nullable Instant silencedUntil) {

        static ActiveAlertBody of(AlertReads.Episode episode, List<Silence> silences, Instant now) {
            Optional<Instant> silencedUntil = silences.stream()
                    .filter(s -> s.covers(episode.serverId(), episode.ruleId(), now))
                    .map(Silence::until).max(Instant::compareTo);
            return new ActiveAlertBody(episode.serverId(), episode.serverName(), episode.key(), episode.ruleId(),
                    episode.ruleName(), episode.series(), SeverityName.parse(episode.severity()),
                    AlertPhase.valueOf(episode.phase().toUpperCase(Locale.ROOT)), episode.since(), episode.value(),
                    episode.condition(), episode.ackBy() == null ? null
                            : new AcknowledgementBody(episode.ackBy(), episode.ackAt(), episode.ackComment()),
                    silencedUntil.orElse(null));
        }

        static ActiveAlertBody of(ServerId serverId, ActiveAlert alert) {
            return of(serverId.value(), alert);
        }

        /** {@code subject}: a server id, or a check's {@code check:<id>}. */
        static ActiveAlertBody of(String subject, ActiveAlert alert) {
            ActiveAlert.Acknowledgement ack = alert.acknowledged();
            return new ActiveAlertBody(subject, null, alert.key(), alert.ruleId(), alert.ruleName(),
                    alert.series(), SeverityName.of(alert.severity()), AlertPhase.valueOf(alert.phase().name()),
                    alert.since(), alert.value(), alert.condition(),
                    ack == null ? null : new AcknowledgementBody(ack.by(), ack.at(), ack.comment()), null);
        }
    }

    /** One firing episode, current or past. */
    public record AlertEpisodeBody(long id, String serverId, @Nullable String serverName, String ruleId,
            @Nullable String ruleName, String series, SeverityName severity, @Nullable String condition,
            Instant firedAt, @Nullable Double firedValue, @Nullable Instant resolvedAt, @Nullable Double resolvedValue,
            @Nullable String resolveReason, @Nullable String acknowledgedBy, @Nullable Instant acknowledgedAt,
            @Nullable String ackComment) {

        static AlertEpisodeBody of(AlertReads.Episode episode) {
            return new AlertEpisodeBody(episode.id(), episode.serverId(), episode.serverName(), episode.ruleId(),
                    episode.ruleName(), episode.series(), SeverityName.parse(episode.severity()),
                    episode.condition(), episode.firedAt(), episode.firedValue(), episode.resolvedAt(),
                    episode.resolvedValue(), episode.resolveReason(), episode.ackBy(), episode.ackAt(),
                    episode.ackComment());
        }
    }

    /** {@code POST /api/alerts/ack}; {@code serverId} is a server's id or a check's subject ({@code check:<id>}). */
    public record AcknowledgeRequest(String serverId, String key, @Nullable String comment) {
        public AcknowledgeRequest {
            String subject = Fields.required("serverId", serverId, ServerId.MAX_LENGTH);
            serverId = CheckId.ofSubject(subject).isPresent() ? subject : ApiDirectives.serverId(subject).value();
            key = Fields.required("key", key, MAX_KEY);
            comment = Fields.optional("comment", comment, MAX_COMMENT);
        }
    }

    /** {@code POST /api/silences}: a server, a rule, or both, for some minutes. */
    public record SilenceRequest(@Nullable String serverId, @Nullable String ruleId, Integer minutes,
            @Nullable String comment) {
        public SilenceRequest {
            serverId = Fields.optional("serverId", serverId, ServerId.MAX_LENGTH);
            if (serverId != null) {
                serverId = ApiDirectives.serverId(serverId).value();
            }
            ruleId = Fields.optional("ruleId", ruleId, MAX_RULE_ID);
            if (serverId == null && ruleId == null) {
                throw Problem.invalid("name a serverId or a ruleId (or both) to silence");
            }
            if (minutes == null || minutes < 1 || minutes > MAX_SILENCE_MINUTES) {
                throw Problem.invalid("minutes must be a whole number from 1 to " + MAX_SILENCE_MINUTES);
            }
            comment = Fields.optional("comment", comment, MAX_COMMENT);
        }
    }

    public record SilenceBody(String id, @Nullable String serverId, @Nullable String ruleId, Instant until,
            @Nullable String comment, String by, Instant createdAt) {
        static SilenceBody of(Silence silence) {
            return new SilenceBody(silence.id(), silence.serverId(), silence.ruleId(), silence.until(),
                    silence.comment(), silence.by(), silence.createdAt());
        }
    }

    public record SilenceEnded(String ended) {}

    /** {@code GET /api/inbox}: the newest lines and how many the user has not read. */
    public record InboxBody(long unread, List<InboxItem> items) {}

    /** {@code POST /api/inbox/read}: everything up to this item id is read. */
    public record ReadRequest(Long upTo) {
        public ReadRequest {
            if (upTo == null || upTo < 0) {
                throw Problem.invalid("upTo is required (the newest item id read)");
            }
        }
    }

    public record Unread(long unread) {}

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
                            Instant now = context.clock().instant();
                            return reads().active().stream().map(e -> ActiveAlertBody.of(e, silences, now)).toList();
                        }), list -> complete(Json.ok(list))))),
                        path("history", () -> get(() -> history())),
                        path("ack", () -> post(() -> admin(user, jsonBody(AcknowledgeRequest.class,
                                body -> acknowledge(user, body))))))),
                pathPrefix("silences", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> onSuccess(blocking(() -> reads().silences()), list ->
                                        complete(Json.ok(list.stream().map(SilenceBody::of).toList())))),
                                post(() -> admin(user, jsonBody(SilenceRequest.class, body -> silence(user, body)))))),
                        path(PathMatchers.segment(), id -> delete(() -> admin(user, onSuccess(
                                blocking(() -> reads().endSilence(id)), ended -> ended
                                        .<Route>map(silence -> onSuccess(record(silence, null, user), done ->
                                                complete(Json.ok(new SilenceEnded(id)))))
                                        .orElseGet(() -> complete(ErrorResponses.of(
                                                Problem.notFound("no active silence " + id)))))))))),
                pathPrefix("inbox", () -> concat(
                        pathEndOrSingleSlash(() -> get(() -> onSuccess(
                                blocking(() -> reads().inbox(user.username(), 50)), inbox ->
                                        complete(Json.ok(new InboxBody(inbox.unread(), inbox.items())))))),
                        path("read", () -> post(() -> jsonBody(ReadRequest.class, body ->
                                onSuccess(blocking(() -> {
                                    reads().markRead(user.username(), body.upTo());
                                    return reads().unread(user.username());
                                }), unread -> complete(Json.ok(new Unread(unread))))))))));
    }

    private Route history() {
        return parameterOptional("server", server -> parameterOptional("severity", severity ->
                parameterOptional("limit", limit -> {
                    String serverFilter = Fields.optional("server", server.orElse(null), 200);
                    String severityFilter = severity.map(AlertRoutes::severity).orElse(null);
                    int max = limit(limit.orElse(null), 200, MAX_HISTORY);
                    return onSuccess(blocking(() -> reads().history(serverFilter, severityFilter, max)),
                            list -> complete(Json.ok(list.stream().map(AlertEpisodeBody::of).toList())));
                })));
    }

    private Route acknowledge(UserStore.User user, AcknowledgeRequest body) {
        Optional<String> check = CheckId.ofSubject(body.serverId());
        if (check.isPresent()) {
            return onSuccess(context.sharding().entityRefFor(CheckEntity.TYPE_KEY, check.get())
                            .<ActiveAlert>askWithStatus(replyTo -> new CheckCommand.Acknowledge(body.key(),
                                    user.username(), body.comment(), replyTo), context.settings().askTimeout()),
                    alert -> complete(Json.ok(ActiveAlertBody.of(body.serverId(), alert))));
        }
        ServerId serverId = ServerId.of(body.serverId());
        return onSuccess(context.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId.value())
                        .<ActiveAlert>askWithStatus(replyTo -> new AlertCommand.Acknowledge(body.key(),
                                user.username(), body.comment(), replyTo), context.settings().askTimeout()),
                alert -> complete(Json.ok(ActiveAlertBody.of(serverId, alert))));
    }

    private Route silence(UserStore.User user, SilenceRequest body) {
        Instant now = context.clock().instant();
        Silence silence = new Silence("silence-" + Secrets.suffix(8), body.serverId(), body.ruleId(),
                now.plus(Duration.ofMinutes(body.minutes())), body.comment(), user.username(), now);
        String ruleId = body.ruleId();
        CompletionStage<Boolean> ruleKnown = ruleId == null ? CompletableFuture.completedFuture(true)
                : blocking(() -> context.alerting().store().find(ruleId).isPresent());
        return onSuccess(ruleKnown, known -> {
            if (!known) {
                return complete(ErrorResponses.of(Problem.notFound("no alert rule " + ruleId)));
            }
            // The server's entity records the window in its history first (and answers 404 for an unknown one).
            return onSuccess(record(silence, silence.until(), user), recorded ->
                    onSuccess(blocking(() -> {
                        reads().createSilence(silence);
                        return silence;
                    }), created -> complete(Json.created(SilenceBody.of(created)))));
        });
    }

    private CompletionStage<Done> record(Silence silence, Instant until, UserStore.User user) {
        if (silence.serverId() == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, silence.serverId())
                .askWithStatus(replyTo -> new AlertCommand.RecordSilence(silence.id(), until, user.username(),
                        silence.comment(), replyTo), context.settings().askTimeout());
    }

    /** A {@code severity} filter: warning or critical, any case. */
    static String severity(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        if (!value.equals("warning") && !value.equals("critical")) {
            throw Problem.invalid("severity must be warning or critical");
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
            throw Problem.invalid("limit must be a whole number from 1 to " + max);
        }
    }
}
