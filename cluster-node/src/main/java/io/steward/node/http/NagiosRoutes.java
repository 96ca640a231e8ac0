package io.steward.node.http;

import io.steward.core.metrics.SeriesName;
import io.steward.core.nagios.NagiosCheck;
import io.steward.core.nagios.NagiosResult;
import io.steward.core.nagios.NagiosStatus;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.problem.Problem;
import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/check?server=&metric=&warn=&crit=}: one metric of one server judged as a Nagios plugin would, for
 * Nagios, Icinga, Naemon and the like (through {@code deploy/check_steward}). The answer is 200 whatever the verdict,
 * with the plugin's line and exit code in it; {@code format=text} answers the line alone. Only a request that is
 * itself wrong (no server or metric, a malformed range) is a 400.
 *
 * <p>UNKNOWN: no such server, a name two servers share, no stored report, a metric the server does not report, and
 * — unless {@code offline=critical} — a server that is offline (its values are stale). Nagios itself tells a dead
 * host through its host check; a service check on stale data says it does not know.
 */
final class NagiosRoutes extends ApiDirectives {
    private static final int LISTED_METRICS = 12;

    /** The verdict as JSON; {@code server} is the id, when the name resolved to one. */
    public record NagiosAnswer(NagiosStatus status, int exitCode, String line, @Nullable String server,
            String metric, @Nullable Double value, @Nullable Instant collectedAt) {}

    NagiosRoutes(ApiContext context) {
        super(context);
    }

    Route route() {
        return path("check", () -> get(() -> parameterOptional("server", server ->
                parameterOptional("metric", metric -> parameterOptional("warn", warn ->
                        parameterOptional("crit", crit -> parameterOptional("offline", offline ->
                                parameterOptional("format", format -> check(
                                        required("server", server), series(required("metric", metric)), warn, crit,
                                        offlineStatus(offline), text(format))))))))));
    }

    private Route check(String serverName, String metric, Optional<String> warn, Optional<String> crit,
            NagiosStatus whenOffline, boolean text) {
        NagiosCheck parsedRanges;
        try {
            parsedRanges = NagiosCheck.of(metric, serverName, warn, crit);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        // The read model (one local list), not an ask to every entity: a monitoring system polls this often, and
        // its values come from the store anyway; the summary gives the name and whether the server is online.
        CompletionStage<NagiosAnswer> answer = context.overview().summaries().thenCompose(servers -> {
            ServerNames.Resolution resolved = ServerNames.resolve(servers, serverName);
            if (resolved instanceof ServerNames.Resolution.Found found) {
                return judge(found.server(), metric, parsedRanges, whenOffline);
            }
            String reason = resolved instanceof ServerNames.Resolution.Ambiguous ambiguous
                    ? "'" + serverName + "' names " + ambiguous.ids().size() + " servers (" + String.join(", ",
                            ambiguous.ids()) + "); give the id"
                    : "no server named '" + serverName + "'";
            return CompletableFuture.completedFuture(answer(NagiosResult.of(NagiosStatus.UNKNOWN, reason), null,
                    metric, null, null));
        });
        return onSuccess(answer, body -> complete(text
                ? HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
                        body.line() + "\n"))
                : Json.ok(body)));
    }

    private CompletionStage<NagiosAnswer> judge(ServerSummary server, String metric, NagiosCheck ranges,
            NagiosStatus whenOffline) {
        String shown = ServerNames.shown(server);
        NagiosCheck check = new NagiosCheck(metric, shown, ranges.warning(), ranges.critical());
        return context.metrics().latest(server.id()).thenApply(found -> {
            if (found.isEmpty()) {
                return answer(NagiosResult.of(NagiosStatus.UNKNOWN, shown + " has no stored report yet"),
                        server.id(), metric, null, null);
            }
            LatestSamples latest = found.get();
            if (!server.online()) {
                return answer(NagiosResult.of(whenOffline, shown + " is offline; its last report was collected at "
                        + latest.collectedAt()), server.id(), metric, null, latest.collectedAt());
            }
            Double value = latest.samples().get(metric);
            if (value == null) {
                return answer(NagiosResult.of(NagiosStatus.UNKNOWN, shown + " reports no " + metric + " (it reports "
                        + known(latest.samples().keySet().stream().toList()) + ")"), server.id(), metric, null,
                        latest.collectedAt());
            }
            return answer(check.evaluate(value), server.id(), metric, value, latest.collectedAt());
        });
    }

    private static NagiosAnswer answer(NagiosResult result, @Nullable String server, String metric,
            @Nullable Double value, @Nullable Instant collectedAt) {
        return new NagiosAnswer(result.status(), result.exitCode(), result.line(), server, metric, value,
                collectedAt);
    }

    private static String known(List<String> series) {
        String listed = series.stream().limit(LISTED_METRICS).collect(Collectors.joining(", "));
        return series.size() > LISTED_METRICS ? listed + ", …" : listed;
    }

    private static String required(String name, Optional<String> value) {
        return value.filter(text -> !text.isBlank())
                .orElseThrow(() -> Problem.invalid(name + " is required (GET /api/check?server=web-1"
                        + "&metric=cpu.percent&warn=80&crit=90)"));
    }

    /** The series name as Steward writes it ({@code disk.percent{mount=/}}), or 400. */
    private static String series(String metric) {
        try {
            return SeriesName.parse(metric.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("metric: " + e.getMessage());
        }
    }

    private static NagiosStatus offlineStatus(Optional<String> offline) {
        return switch (offline.orElse("unknown")) {
            case "unknown" -> NagiosStatus.UNKNOWN;
            case "critical" -> NagiosStatus.CRITICAL;
            default -> throw Problem.invalid("offline must be unknown or critical");
        };
    }

    private static boolean text(Optional<String> format) {
        return switch (format.orElse("json")) {
            case "json" -> false;
            case "text" -> true;
            default -> throw Problem.invalid("format must be json or text");
        };
    }
}
