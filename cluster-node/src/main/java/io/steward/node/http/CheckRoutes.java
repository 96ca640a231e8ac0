package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.imports.ImportResult;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.CheckCatalog;
import io.steward.node.checks.CheckCommand;
import io.steward.node.checks.CheckEntity;
import io.steward.node.checks.CheckFailures;
import io.steward.node.checks.CheckId;
import io.steward.node.checks.CheckJson;
import io.steward.node.checks.CheckSeriesSource;
import io.steward.node.checks.CheckSpec;
import io.steward.node.checks.CheckView;
import io.steward.node.problem.Problem;
import io.steward.node.server.ServerSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /api/checks[/{id}[/results|/run]]} and {@code /api/servers/{id}/checks}: URL, TCP, TLS and DNS checks.
 * Reading is for every user, changing and running for admins. Each check's entity owns it; the index row follows
 * each accepted change, then every node's agents get their new lists.
 */
final class CheckRoutes extends ApiDirectives {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> PHASES = List.of("dns", "connect", "tls", "first_byte", "total");
    private static final int MAX_FAILURES = 50;
    private static final Duration MAX_RESULTS_RANGE = Duration.ofDays(90);
    /** An import carries a whole file (at most 5 MiB) as JSON text, escaped. */
    private static final long IMPORT_LIMIT = 12L * 1024 * 1024;

    private static final Duration UPTIME_FRESH = Duration.ofMinutes(1);

    private record Uptimes(Instant at, CompletableFuture<CheckAnswers.Uptime> uptime) {}

    /** Uptimes by check id, each read at most every {@link #UPTIME_FRESH}; a deleted check's is dropped. */
    private final Map<String, Uptimes> uptimes = new java.util.concurrent.ConcurrentHashMap<>();

    CheckRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return concat(
                pathPrefix("checks", () -> concat(
                        pathEndOrSingleSlash(() -> concat(get(() -> listRoute(user)),
                                post(() -> admin(user, create(user))))),
                        path("import", () -> post(() -> admin(user, importRoute(user)))),
                        path(PathMatchers.segment().slash("results"), id -> get(() -> withId(id, this::resultsRoute))),
                        path(PathMatchers.segment().slash("run"), id -> post(() -> admin(user,
                                withId(id, this::runRoute)))),
                        path(PathMatchers.segment(), id -> withId(id, checkId -> one(checkId, user))))),
                path(PathMatchers.segment("servers").slash(PathMatchers.segment()).slash("checks"), serverId ->
                        get(() -> onSuccess(ofServer(serverId(serverId).value()), checks ->
                                complete(Json.ok(wrap("checks", visible(user, checks))))))));
    }

    private Route listRoute(UserStore.User user) {
        return onSuccess(list(), checks -> complete(Json.ok(wrap("checks", visible(user, checks)))));
    }

    /** What a user sees: admins everything; others not the secrets a definition may hold (headers, user-info). */
    private static List<ObjectNode> visible(UserStore.User user, List<ObjectNode> checks) {
        return user.role() == UserStore.Role.ADMIN ? checks : checks.stream().map(CheckAnswers::masked).toList();
    }

    private Route create(UserStore.User user) {
        return checkBody(spec -> onSuccess(define(CheckId.newId(spec.name()), spec, true, user),
                answer -> complete(Json.created(answer))));
    }

    private Route one(String checkId, UserStore.User user) {
        return concat(
                get(() -> onSuccess(answer(checkId), answer -> complete(Json.ok(
                        visible(user, List.of(answer)).get(0))))),
                put(() -> admin(user, checkBody(spec -> onSuccess(define(checkId, spec, false, user),
                        answer -> complete(Json.ok(answer)))))),
                delete(() -> admin(user, onSuccess(delete(checkId, user),
                        done -> complete(Json.ok(new Deleted(checkId)))))));
    }

    private Route resultsRoute(String checkId) {
        return parameterOptional("from", from -> parameterOptional("to", to ->
                onSuccess(results(checkId, from, to), answer -> complete(Json.ok(answer)))));
    }

    private Route runRoute(String checkId) {
        return onSuccess(ask(checkId), view -> onSuccess(context.checks().assignments().runNow(checkId),
                requested -> {
                    ObjectNode answer = NODES.objectNode();
                    ArrayNode servers = answer.putArray("requested");
                    requested.forEach(servers::add);
                    return complete(Json.response(StatusCodes.ACCEPTED, answer));
                }));
    }

    private Route withId(String segment, java.util.function.Function<String, Route> inner) {
        return CheckId.parse(segment).map(inner)
                .orElseGet(() -> complete(ErrorResponses.of(Problem.notFound("no check " + segment))));
    }

    /** The body as a check spec, within the size limit; a mistake is a 400 naming the field. */
    private Route checkBody(java.util.function.Function<CheckSpec, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(Unmarshaller.entityToString(), body -> inner.apply(spec(body))));
    }

    static CheckSpec spec(String body) {
        JsonNode json = Json.object(body);
        try {
            return CheckJson.spec(json);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
    }

    private CompletionStage<ObjectNode> define(String id, CheckSpec spec, boolean create, UserStore.User user) {
        return save(id, spec, create, user)
                .thenCompose(view -> context.checks().assignments().refresh().thenApply(plan -> view))
                .thenCompose(this::render);
    }

    /** The entity accepts the change, then the index row follows it. */
    private CompletionStage<CheckView> save(String id, CheckSpec spec, boolean create, UserStore.User user) {
        return context.sharding().entityRefFor(CheckEntity.TYPE_KEY, id)
                .<CheckView>askWithStatus(replyTo -> new CheckCommand.Define(spec, create, user.username(), replyTo),
                        context.settings().askTimeout())
                .thenCompose(view -> blocking(() -> {
                    context.checks().catalog().put(id, spec, user.username());
                    return view;
                }));
    }

    /**
     * {@code POST /api/checks/import}: an Uptime Kuma backup or a Gatus configuration, converted to checks; with
     * {@code dryRun} nothing is created and the answer shows what would be. Every entry of the file is in the answer,
     * created or skipped with its reason.
     */
    private Route importRoute(UserStore.User user) {
        return withSizeLimit(IMPORT_LIMIT, () -> entity(Unmarshaller.entityToString(), text -> {
            ChecksImport request = ChecksImport.parse(text);
            ImportResult result;
            try {
                result = request.format().parse(request.content(), request.vantages());
            } catch (IllegalArgumentException e) {
                throw Problem.invalid(e.getMessage());
            }
            if (request.dryRun()) {
                return complete(Json.ok(ChecksImport.answer(result, null)));
            }
            // One at a time (each is an entity and an index row); one that fails is reported with the skipped and
            // the rest go on, so an import is never left half done behind an error.
            List<ImportResult.Skipped> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletionStage<List<ObjectNode>> created = CompletableFuture.completedFuture(new ArrayList<>());
            for (ImportResult.Imported imported : result.checks()) {
                CheckSpec spec = new CheckSpec(imported.definition(), imported.group());
                created = created.thenCompose(list -> save(CheckId.newId(spec.name()), spec, true, user)
                        .thenCompose(this::render).handle((answer, failure) -> {
                            if (failure != null) {
                                failed.add(new ImportResult.Skipped(spec.name(), "could not be created: "
                                        + (failure.getCause() == null ? failure : failure.getCause()).getMessage()));
                            } else {
                                answer.set("notes", Json.MAPPER.valueToTree(imported.notes()));
                                list.add(answer);
                            }
                            return list;
                        }));
            }
            CompletionStage<ObjectNode> answer = created.thenCompose(list -> context.checks().assignments()
                    .refresh().thenApply(plan -> ChecksImport.answer(failed.isEmpty() ? result
                            : new ImportResult(result.checks(), java.util.stream.Stream.concat(
                                    result.skipped().stream(), failed.stream()).toList()), list)));
            return onSuccess(answer, body -> complete(Json.created(body)));
        }));
    }

    private CompletionStage<Done> delete(String id, UserStore.User user) {
        return context.sharding().entityRefFor(CheckEntity.TYPE_KEY, id)
                .<Done>askWithStatus(replyTo -> new CheckCommand.Delete(user.username(), replyTo),
                        context.settings().askTimeout())
                // Deleted before (a first DELETE whose index row could not be removed): remove the row now.
                .exceptionallyCompose(failure -> (failure.getCause() instanceof Problem wrapped ? wrapped
                        : failure) instanceof Problem problem && problem.code() == Problem.Code.NOT_FOUND
                        ? blocking(() -> context.checks().catalog().get(id)).thenCompose(row -> row.isPresent()
                                ? CompletableFuture.completedFuture(Done.getInstance())
                                : CompletableFuture.failedFuture(failure))
                        : CompletableFuture.failedFuture(failure))
                .thenCompose(done -> blocking(() -> context.checks().catalog().remove(id)))
                .whenComplete((removed, failure) -> uptimes.remove(id))
                .thenCompose(removed -> context.metrics().deleteServer(CheckId.subject(id)))
                .thenCompose(done -> context.checks().assignments().refresh().thenApply(plan -> done));
    }

    /** The check's view; a 404 for an id the index does not know, without starting an entity for it. */
    private CompletionStage<CheckView> ask(String id) {
        return blocking(() -> context.checks().catalog().get(id)).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(Problem.notFound("no check " + id));
            }
            return askEntity(id);
        });
    }

    private CompletionStage<CheckView> askEntity(String id) {
        return context.sharding().entityRefFor(CheckEntity.TYPE_KEY, id)
                .askWithStatus(CheckCommand.Get::new, context.settings().askTimeout());
    }

    CompletionStage<ObjectNode> answer(String id) {
        return ask(id).thenCompose(this::render);
    }

    /** Every check, in the index's order; one whose entity does not answer in time is left out (and logged). */
    CompletionStage<List<ObjectNode>> list() {
        return blocking(() -> context.checks().catalog().all()).thenCompose(entries -> answers(
                entries.stream().map(CheckCatalog.Entry::id).toList()));
    }

    private CompletionStage<List<ObjectNode>> answers(List<String> ids) {
        return names().thenCompose(names -> {
            List<CompletableFuture<Optional<ObjectNode>>> asks = new ArrayList<>();
            for (String id : ids) {
                asks.add(askEntity(id).thenCompose(view -> render(view, names)).thenApply(Optional::of)
                        .exceptionally(failure -> Optional.empty()).toCompletableFuture());
            }
            return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done ->
                    asks.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
        });
    }

    private CompletionStage<List<ObjectNode>> ofServer(String serverId) {
        return context.checks().assignments().plan().thenCompose(plan -> answers(plan.checksOf(serverId).stream()
                .map(io.steward.core.checks.AssignedCheck::id).toList()));
    }

    private CompletionStage<ObjectNode> render(CheckView view) {
        return names().thenCompose(names -> render(view, names));
    }

    private CompletionStage<ObjectNode> render(CheckView view, Map<String, String> names) {
        Instant now = context.clock().instant();
        return uptime(view.id(), now).thenApply(uptime -> CheckAnswers.of(view, uptime, names, now));
    }

    /**
     * A check's uptimes, read at most once a minute: the checks page asks for every check every few seconds, and an
     * uptime over a month does not move in a minute.
     */
    private CompletionStage<CheckAnswers.Uptime> uptime(String id, Instant now) {
        Uptimes cached = uptimes.get(id);
        if (cached != null && cached.at().isAfter(now.minus(UPTIME_FRESH))
                && !cached.uptime().isCompletedExceptionally()) {
            return cached.uptime();
        }
        CompletableFuture<CheckAnswers.Uptime> read = readUptime(id, now).toCompletableFuture();
        uptimes.put(id, new Uptimes(now, read));
        return read;
    }

    private CompletionStage<CheckAnswers.Uptime> readUptime(String id, Instant now) {
        String subject = CheckId.subject(id);
        CheckSeriesSource series = context.checks().series();
        CompletableFuture<Double> day = series.average(subject, "check.available", now.minus(Duration.ofDays(1)), now)
                .toCompletableFuture();
        CompletableFuture<Double> week = series.average(subject, "check.available", now.minus(Duration.ofDays(7)),
                now).toCompletableFuture();
        CompletableFuture<Double> month = series.average(subject, "check.available", now.minus(Duration.ofDays(30)),
                now).toCompletableFuture();
        return CompletableFuture.allOf(day, week, month).thenApply(done ->
                new CheckAnswers.Uptime(day.join(), week.join(), month.join()));
    }

    /** Server names by id, for the vantages' labels. */
    private CompletionStage<Map<String, String>> names() {
        return context.fleet().summaries().thenApply(servers -> {
            Map<String, String> names = new HashMap<>();
            for (ServerSummary server : servers) {
                names.put(server.id(), server.displayName() == null ? server.hostname() : server.displayName());
            }
            return names;
        });
    }

    private CompletionStage<ObjectNode> results(String id, Optional<String> fromText, Optional<String> toText) {
        Instant now = context.clock().instant();
        Instant to = toText.map(text -> instant("to", text)).orElse(now);
        Instant from = fromText.map(text -> instant("from", text)).orElse(to.minus(Duration.ofHours(1)));
        if (!from.isBefore(to)) {
            throw Problem.invalid("from: must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RESULTS_RANGE) > 0) {
            throw Problem.invalid("from: the range may span at most " + MAX_RESULTS_RANGE.toDays() + " days");
        }
        String subject = CheckId.subject(id);
        CheckSeriesSource series = context.checks().series();
        return ask(id).thenCompose(view -> {
            List<String> vantages = view.vantages().stream().map(verdict -> verdict.serverId()).toList();
            Map<String, CompletableFuture<CheckSeriesSource.Series>> latency = new java.util.LinkedHashMap<>();
            Map<String, CompletableFuture<CheckSeriesSource.Series>> up = new java.util.LinkedHashMap<>();
            for (String vantage : vantages) {
                for (String phase : PHASES) {
                    latency.put(vantage + "|" + phase, series.range(subject,
                            "check.latency." + phase + "{vantage=" + vantage + "}", from, to).toCompletableFuture());
                }
                up.put(vantage, series.range(subject, "check.up{vantage=" + vantage + "}", from, to)
                        .toCompletableFuture());
            }
            CompletableFuture<List<CheckFailures.Failure>> failures = blocking(() -> context.checks().failures()
                    .recent(id, from, to, MAX_FAILURES)).toCompletableFuture();
            List<CompletableFuture<?>> all = new ArrayList<>(latency.values());
            all.addAll(up.values());
            all.add(failures);
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done ->
                    CheckResultsAnswer.of(from, to, latency, up, failures.join()));
        });
    }

    private static Instant instant(String field, String text) {
        try {
            return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw Problem.invalid(field + ": an ISO-8601 instant (2026-12-02T10:00:00Z) or epoch milliseconds");
        }
    }

    private static ObjectNode wrap(String field, List<ObjectNode> items) {
        ObjectNode answer = NODES.objectNode();
        ArrayNode array = answer.putArray(field);
        items.forEach(array::add);
        return answer;
    }

}
