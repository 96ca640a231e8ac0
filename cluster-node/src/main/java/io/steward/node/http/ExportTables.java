package io.steward.node.http;

import io.steward.node.metrics.MetricRow;
import io.steward.node.notify.AlertReads;
import io.steward.node.server.BackupJob;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.ServerSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The columns of each CSV export and how a value becomes a row: the one place that says what a file holds. Column
 * names are the JSON API's field names, so a CSV and the API read alike.
 */
final class ExportTables {
    private ExportTables() {}

    /** {@code GET /api/servers/{id}/export}: a contract; scripts read these three columns by name. */
    static final List<String> METRIC_COLUMNS = List.of("time", "series", "value");

    static List<String> metricRow(MetricRow row) {
        return List.of(Instant.ofEpochMilli(row.epochMillis()).toString(), row.series(),
                ExportCells.number(row.value()));
    }

    static final List<String> INVENTORY_COLUMNS = List.of("id", "hostname", "displayName", "group", "tags",
            "online", "lastSeen", "agentVersion", "registeredAt", "osName", "addresses", "cpuPercent",
            "memoryPercent", "diskPercent", "load1", "uptimeSeconds", "criticalAlerts", "warningAlerts", "notes");

    static List<String> inventoryRow(ServerSummary server) {
        return cells(server.id(), server.hostname(), server.displayName(), server.group(), server.tags(),
                server.online(), server.lastSeen(), server.agentVersion(), server.registeredAt(), server.osName(),
                server.addresses(), server.cpuPercent(), server.memoryPercent(), server.diskPercent(),
                server.load1(), server.uptimeSeconds(), server.criticalAlerts(), server.warningAlerts(),
                server.notes());
    }

    /** As {@code GET /api/alerts/history} names them, newest first. */
    static final List<String> ALERT_HISTORY_COLUMNS = List.of("id", "firedAt", "resolvedAt", "serverId",
            "serverName", "ruleId", "ruleName", "series", "severity", "condition", "firedValue", "resolvedValue",
            "resolveReason", "acknowledgedBy", "acknowledgedAt", "ackComment");

    static List<String> alertHistoryRow(AlertReads.Episode episode) {
        return cells(episode.id(), episode.firedAt(), episode.resolvedAt(), episode.serverId(),
                episode.serverName(), episode.ruleId(), episode.ruleName(), episode.series(), episode.severity(),
                episode.condition(), episode.firedValue(), episode.resolvedValue(), episode.resolveReason(),
                episode.ackBy(), episode.ackAt(), episode.ackComment());
    }

    /** As {@code GET …/backups/{jobId}/runs} names them, with the server and job in front. */
    static final List<String> BACKUP_RUN_COLUMNS = List.of("serverId", "jobId", "jobName", "runId", "state",
            "trigger", "dueFor", "startedAt", "finishedAt", "durationSeconds", "snapshot", "filesTotal",
            "filesTransferred", "totalBytes", "bytesTransferred", "exitCode", "failure", "reason", "by",
            "missedCount");

    /** Every run of every job of one server: per job the one in progress, then the finished ones, newest first. */
    static List<List<String>> backupRunRows(String serverId, List<BackupJob> jobs) {
        List<List<String>> rows = new ArrayList<>();
        for (BackupJob job : jobs) {
            List<BackupJob.Run> runs = new ArrayList<>();
            if (job.running() != null) {
                runs.add(job.running());
            }
            runs.addAll(job.runs());
            for (BackupJob.Run run : runs) {
                BackupsBody.RunBody body = BackupsBody.RunBody.of(run);
                BackupsBody.StatsBody stats = body.stats();
                rows.add(cells(serverId, job.id(), job.settings().name(), body.id(), body.state().wireName(),
                        body.trigger().wireName(), body.dueFor(), body.startedAt(), body.finishedAt(),
                        body.finishedAt() == null ? null
                                : (double) Duration.between(body.startedAt(), body.finishedAt()).toMillis() / 1000,
                        body.snapshot(),
                        stats == null ? null : stats.filesTotal(), stats == null ? null : stats.filesTransferred(),
                        stats == null ? null : stats.totalBytes(), stats == null ? null : stats.bytesTransferred(),
                        stats == null ? null : stats.exitCode(),
                        body.failure() == null ? null : body.failure().wireName(), body.reason(), body.by(),
                        body.missedCount()));
            }
        }
        return rows;
    }

    private static List<String> cells(Object... values) {
        return Arrays.stream(values).map(ExportCells::text).toList();
    }
}
