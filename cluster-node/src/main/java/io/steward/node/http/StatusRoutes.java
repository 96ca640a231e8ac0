package io.steward.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.CheckState;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.CheckCatalog;
import io.steward.node.checks.CheckCommand;
import io.steward.node.checks.CheckEntity;
import io.steward.node.checks.CheckId;
import io.steward.node.checks.CheckView;
import io.steward.node.checks.StatusPages;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Public status pages: {@code GET /api/status/{group}} answers without a login, only for a group an admin published
 * ({@code /api/status-pages}); it shows names, states and 90 days of uptime — never targets, vantages or errors.
 */
final class StatusRoutes extends ApiDirectives {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DAYS = 90;

    /** {@code PUT /api/status-pages/{group}}. */
    public record PageRequest(String title, Boolean enabled) {}

    /** How long one rendering of a page serves every visitor. */
    static final java.time.Duration FRESH = java.time.Duration.ofSeconds(30);

    private record Rendered(Instant at, CompletableFuture<ObjectNode> answer) {}

    private final Map<String, Rendered> renderings = new java.util.concurrent.ConcurrentHashMap<>();

    StatusRoutes(ApiContext context) {
        super(context);
    }

    /** What anyone may read. */
    Route publicRoute() {
        return path(PathMatchers.segment("status").slash(PathMatchers.segment()), group -> get(() ->
                onSuccess(blocking(() -> context.checks().statusPages().get(group)), page -> {
                    if (page.isEmpty() || !page.get().enabled()) {
                        return complete(ErrorResponses.of(Problem.notFound("no published status page for " + group)));
                    }
                    return onSuccess(cached(page.get()), answer -> complete(Json.ok(answer)));
                })));
    }

    Route route(UserStore.User user) {
        return pathPrefix("status-pages", () -> concat(
                pathEndOrSingleSlash(() -> get(() -> onSuccess(blocking(() -> pages()), pages ->
                        complete(Json.ok(Map.of("pages", pages)))))),
                path(PathMatchers.segment(), group -> put(() -> admin(user, jsonBody(PageRequest.class, body -> {
                    StatusPages.Page page;
                    try {
                        page = new StatusPages.Page(group, body.title(), body.enabled() != null && body.enabled());
                    } catch (IllegalArgumentException e) {
                        throw Problem.invalid(e.getMessage());
                    }
                    return onSuccess(blocking(() -> {
                        if (!context.checks().catalog().groups().contains(group)) {
                            return false;
                        }
                        context.checks().statusPages().put(page, user.username());
                        return true;
                    }), saved -> saved ? complete(Json.ok(page)) : complete(ErrorResponses.of(Problem.notFound(
                            "no check is in group " + group))));
                }))))));
    }

    /** Every group with checks, published or not. */
    private List<StatusPages.Page> pages() throws java.sql.SQLException {
        List<StatusPages.Page> configured = context.checks().statusPages().all();
        List<StatusPages.Page> pages = new ArrayList<>();
        for (String group : context.checks().catalog().groups()) {
            pages.add(configured.stream().filter(page -> page.group().equals(group)).findFirst()
                    .orElse(new StatusPages.Page(group, group, false)));
        }
        return pages;
    }

    /**
     * The page as rendered at most {@link #FRESH} ago: anyone may ask, and each rendering asks every check of the
     * group and reads 90 days of its uptime, so one rendering serves every visitor for a while.
     */
    private CompletionStage<ObjectNode> cached(StatusPages.Page page) {
        Instant now = context.clock().instant();
        Rendered rendered = renderings.compute(page.group(), (group, previous) ->
                previous != null && previous.at().isAfter(now.minus(FRESH))
                        && !previous.answer().isCompletedExceptionally()
                        ? previous : new Rendered(now, status(page).toCompletableFuture()));
        return rendered.answer();
    }

    private CompletionStage<ObjectNode> status(StatusPages.Page page) {
        Instant now = context.clock().instant();
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        Instant from = today.minusDays(DAYS - 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return blocking(() -> context.checks().catalog().all()).thenCompose(entries -> {
            List<CheckCatalog.Entry> ofGroup = entries.stream()
                    .filter(entry -> page.group().equals(entry.spec().group())).toList();
            List<CompletableFuture<Optional<ObjectNode>>> items = new ArrayList<>();
            for (CheckCatalog.Entry entry : ofGroup) {
                CompletableFuture<CheckView> view = context.sharding().entityRefFor(CheckEntity.TYPE_KEY, entry.id())
                        .<CheckView>askWithStatus(CheckCommand.Get::new, context.settings().askTimeout())
                        .toCompletableFuture();
                CompletableFuture<Map<LocalDate, Double>> days = context.checks().series()
                        .dailyAverages(CheckId.subject(entry.id()), "check.available", from, now)
                        .toCompletableFuture();
                // A check that does not answer in time is shown pending, never left out (the page would look
                // better than it is).
                items.add(view.thenCombine(days, (found, daily) -> Optional.of(item(found, daily, today)))
                        .exceptionally(failure -> Optional.of(unknown(entry.spec().name(), today))));
            }
            return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new)).thenApply(done -> {
                ObjectNode answer = NODES.objectNode();
                answer.put("group", page.group());
                answer.put("title", page.title());
                ArrayNode checks = answer.putArray("checks");
                CheckState worst = CheckState.UP;
                for (CompletableFuture<Optional<ObjectNode>> item : items) {
                    Optional<ObjectNode> found = item.join();
                    if (found.isPresent()) {
                        checks.add(found.get());
                        worst = worse(worst, CheckState.valueOf(found.get().get("state").asText()
                                .toUpperCase(java.util.Locale.ROOT)));
                    }
                }
                answer.put("state", worst.wireName());
                return answer;
            });
        });
    }

    private static ObjectNode unknown(String name, LocalDate today) {
        ObjectNode item = NODES.objectNode();
        item.put("name", name);
        item.put("state", CheckState.PENDING.wireName());
        item.putNull("since");
        ArrayNode days = item.putArray("days");
        for (int back = DAYS - 1; back >= 0; back--) {
            days.addObject().put("day", today.minusDays(back).toString()).putNull("uptime");
        }
        return item;
    }

    private static ObjectNode item(CheckView view, Map<LocalDate, Double> daily, LocalDate today) {
        ObjectNode item = NODES.objectNode();
        item.put("name", view.spec().name());
        item.put("state", view.state().wireName());
        item.put("since", view.since().toString());
        ArrayNode days = item.putArray("days");
        for (int back = DAYS - 1; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            ObjectNode entry = days.addObject();
            entry.put("day", day.toString());
            Double uptime = daily.get(day);
            if (uptime == null) {
                entry.putNull("uptime");
            } else {
                entry.put("uptime", Math.round(uptime * 100_000) / 100_000.0);
            }
        }
        return item;
    }

    /** The worse of two states for the page's headline: down, then partial, then maintenance, then pending, up. */
    static CheckState worse(CheckState a, CheckState b) {
        List<CheckState> order = List.of(CheckState.UP, CheckState.PENDING, CheckState.MAINTENANCE,
                CheckState.PARTIAL, CheckState.DOWN);
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

}
