package io.steward.node.http;

import io.steward.core.fleet.ServerId;
import io.steward.core.metrics.SeriesName;
import io.steward.node.metrics.MetricExportPlan;
import io.steward.node.metrics.MetricRow;
import io.steward.node.notify.AlertReads;
import io.steward.node.problem.Problem;
import io.steward.node.server.BackupCommand;
import io.steward.node.server.BackupsView;
import io.steward.node.server.LiveCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Downloads: a server's metrics over a range ({@code GET /api/servers/{id}/export}), the fleet inventory
 * ({@code /api/inventory/export}), the alert history ({@code /api/alerts/history/export}) and backup runs
 * ({@code /api/backup-runs/export}). Each answers a chunked attachment fed by a stream, so a year of metrics is
 * never in memory; database rows come through a cursor read on the blocking executor as the client takes them, and
 * a client that goes away cancels the stream, which closes the cursor.
 */
final class ExportRoutes extends ApiDirectives {
    /** Rows per chunk of exports whose rows are already in memory (inventory, backup runs). */
    private static final int ROWS_PER_CHUNK = 500;
    /** Episodes per batch read from the alert history's cursor. */
    private static final int EPISODES_PER_BATCH = 500;
    /** The tier a metric export was read from ({@code raw}, {@code 1m}, {@code 1h}), for CSV readers. */
    static final String RESOLUTION_HEADER = "X-Steward-Resolution";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    ExportRoutes(ApiContext context) {
        super(context);
    }

    Route route() {
        return get(() -> concat(
                path(PathMatchers.segment("servers").slash(PathMatchers.segment()).slash("export"),
                        segment -> metrics(serverId(segment))),
                path(PathMatchers.segment("inventory").slash("export"), this::inventory),
                path(PathMatchers.segment("alerts").slash("history").slash("export"), this::alertHistory),
                path(PathMatchers.segment("backup-runs").slash("export"), this::backupRuns)));
    }

    private Route metrics(ServerId id) {
        return parameterOptional("format", formatText -> parameterOptional("name", name ->
                parameterOptional("from", fromText -> parameterOptional("to", toText -> {
                    ExportFormat format = ExportFormat.parse(formatText, List.of(ExportFormat.CSV, ExportFormat.JSON));
                    String series = name.map(ExportRoutes::seriesName).orElse(null);
                    Instant now = context.clock().instant();
                    ChartRange range = ChartRange.parse(fromText, toText, now);
                    CompletionStage<MetricExportPlan> plan = context.sharding()
                            .entityRefFor(ServerEntity.TYPE_KEY, id.value())
                            .askWithStatus(LiveCommand.GetDetail::new, context.settings().askTimeout())
                            .thenCompose(detail -> context.metrics().exportResolution(id.value(), range.from(),
                                    range.to(), ServerRoutes.reportInterval(detail), now))
                            .thenApply(resolution -> new MetricExportPlan(id.value(), series, range.from(),
                                    range.to(), resolution, now));
                    return onSuccess(plan, found -> complete(metricsResponse(format, found)));
                }))));
    }

    private HttpResponse metricsResponse(ExportFormat format, MetricExportPlan plan) {
        Source<List<MetricRow>, NotUsed> batches = context.metrics().export(plan);
        Source<ByteString, NotUsed> body = switch (format) {
            case CSV -> Source.single(ExportCells.header(ExportTables.METRIC_COLUMNS))
                    .concat(batches.map(rows -> ExportCells.rows(rows.stream().map(ExportTables::metricRow)
                            .toList())));
            case JSON -> Source.single(MetricExportJson.opening(plan))
                    .concat(batches.statefulMap(() -> true,
                            (first, rows) -> Pair.create(false, MetricExportJson.rows(rows, first)),
                            first -> Optional.empty()))
                    .concat(Source.single(MetricExportJson.closing()));
        };
        String name = "steward-" + plan.serverId() + "-metrics-" + FILE_TIME.format(plan.from()) + "-"
                + FILE_TIME.format(plan.to());
        return attachment(format, name, body)
                .addHeader(RawHeader.create(RESOLUTION_HEADER, plan.resolution().label()));
    }

    private Route inventory() {
        return parameterOptional("format", formatText -> {
            ExportFormat format = ExportFormat.parse(formatText, List.of(ExportFormat.CSV, ExportFormat.JSON));
            return onSuccess(context.overview().summaries(), servers -> {
                List<ServerSummary> sorted = servers.stream().sorted(Comparator.comparing(ServerSummary::id))
                        .toList();
                Source<ByteString, NotUsed> body = switch (format) {
                    case CSV -> csv(ExportTables.INVENTORY_COLUMNS, Source.from(sorted).grouped(ROWS_PER_CHUNK)
                            .map(chunk -> chunk.stream().map(ExportTables::inventoryRow).toList()));
                    // The same list as GET /api/servers: the fleet is in memory already.
                    case JSON -> Source.single(Json.bytes(sorted));
                };
                return complete(attachment(format, "steward-inventory-" + today(), body));
            });
        });
    }

    private Route alertHistory() {
        return parameterOptional("format", formatText -> parameterOptional("server", server ->
                parameterOptional("severity", severity -> {
                    ExportFormat.parse(formatText, List.of(ExportFormat.CSV));
                    String serverFilter = Fields.optional("server", server.orElse(null), 200);
                    String severityFilter = severity.map(AlertRoutes::severity).orElse(null);
                    AlertReads reads = context.notifications().reads();
                    Source<List<List<String>>, NotUsed> rows = Source.unfoldResourceAsync(
                            () -> blocking(() -> reads.openHistory(serverFilter, severityFilter)),
                            cursor -> blocking(() -> cursor.next(EPISODES_PER_BATCH)),
                            cursor -> blocking(() -> {
                                cursor.close();
                                return Done.getInstance();
                            }))
                            .map(episodes -> episodes.stream().map(ExportTables::alertHistoryRow).toList());
                    return complete(attachment(ExportFormat.CSV, "steward-alert-history-" + today(),
                            csv(ExportTables.ALERT_HISTORY_COLUMNS, rows)));
                })));
    }

    private Route backupRuns() {
        return parameterOptional("format", formatText -> parameterOptional("server", server -> {
            ExportFormat.parse(formatText, List.of(ExportFormat.CSV));
            Optional<ServerId> only = server.map(ApiDirectives::serverId);
            // One server's answer is checked before the download starts, so an unknown one is a 404, not a file.
            CompletionStage<List<String>> ids = only.isPresent()
                    ? backups(only.get().value()).thenApply(view -> List.of(only.get().value()))
                    : context.overview().summaries().thenApply(servers -> servers.stream().map(ServerSummary::id)
                            .sorted().toList());
            return onSuccess(ids, serverIds -> {
                Source<List<List<String>>, NotUsed> rows = Source.from(serverIds)
                        .mapAsync(1, serverId -> backups(serverId)
                                .thenApply(view -> ExportTables.backupRunRows(serverId, view.jobs()))
                                .exceptionally(failure -> skipDeleted(failure)))
                        .mapConcat(serverRows -> chunks(serverRows));
                String name = "steward-backup-runs-" + only.map(id -> id.value() + "-").orElse("") + today();
                return complete(attachment(ExportFormat.CSV, name, csv(ExportTables.BACKUP_RUN_COLUMNS, rows)));
            });
        }));
    }

    private CompletionStage<BackupsView> backups(String serverId) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, serverId)
                .askWithStatus(BackupCommand.GetBackups::new, context.settings().askTimeout());
    }

    /** A server deleted while the fleet's runs are exported has none; any other failure ends the download. */
    private static List<List<String>> skipDeleted(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof Problem problem && problem.code() == Problem.Code.NOT_FOUND) {
            return List.of();
        }
        throw failure instanceof RuntimeException runtime ? runtime
                : new CompletionException(failure);
    }

    private static List<List<List<String>>> chunks(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<List<List<String>>> chunks = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += ROWS_PER_CHUNK) {
            chunks.add(rows.subList(start, Math.min(rows.size(), start + ROWS_PER_CHUNK)));
        }
        return chunks;
    }

    /** A CSV document: the header row, then each batch of rows as one chunk. */
    private static Source<ByteString, NotUsed> csv(List<String> columns,
            Source<? extends List<List<String>>, NotUsed> rows) {
        return Source.single(ExportCells.header(columns)).concat(rows.map(ExportCells::rows));
    }

    /** A chunked download named {@code baseName.<extension>}. */
    static HttpResponse attachment(ExportFormat format, String baseName, Source<ByteString, NotUsed> body) {
        HttpHeader disposition = ContentDisposition.create(ContentDispositionTypes.ATTACHMENT,
                Map.of("filename", baseName + "." + format.extension()));
        return HttpResponse.create()
                .withEntity(HttpEntities.createChunked(format.contentType(), body))
                .addHeader(disposition);
    }

    private String today() {
        return DateTimeFormatter.ISO_LOCAL_DATE.format(context.clock().instant().atZone(ZoneOffset.UTC));
    }

    private static String seriesName(String text) {
        try {
            return SeriesName.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("name: " + e.getMessage());
        }
    }
}
