package io.steward.node.http;

import static java.util.Objects.requireNonNull;

import io.steward.node.cluster.ClusterSnapshot;
import io.steward.node.install.InstallJob;
import io.steward.node.install.SshInstalls;
import io.steward.node.notify.Outbox;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.ProcessListView;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.ServicesBody;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What each row of {@link ApiEndpoints} takes and answers, in words and types: the source of
 * {@code /api/openapi.json}. The table decides which endpoints exist (a request it does not list never reaches a
 * route), this one describes them, and a test fails when a row of either has no partner — so the document cannot
 * drift from what the node serves.
 */
final class ApiDocs {

    /** A query parameter; {@code required} ones answer 400 when missing. */
    record Param(String name, String description, boolean required) {}

    /** A body: a record type (or a list of it), or free JSON described in words ({@code type} null). */
    record Body(@Nullable Class<?> type, boolean list, String mediaType, String description) {
        static Body of(Class<?> type) {
            return new Body(type, false, "application/json", "");
        }

        static Body listOf(Class<?> type) {
            return new Body(type, true, "application/json", "");
        }

        static Body json(String description) {
            return new Body(null, false, "application/json", description);
        }

        static Body text(String mediaType, String description) {
            return new Body(null, false, mediaType, description);
        }
    }

    /** One endpoint's description: its tag groups it in the document and on the dashboard's API page. */
    record Doc(String tag, String summary, List<Param> query, @Nullable Body request, Body answer, int status) {
        Doc {
            requireNonNull(tag, "tag is null");
            requireNonNull(summary, "summary is null");
            requireNonNull(answer, "answer is null");
        }

        Doc takes(Body body) {
            return new Doc(tag, summary, query, body, answer, status);
        }

        Doc takes(Class<?> type) {
            return takes(Body.of(type));
        }

        Doc answers(Body body) {
            return new Doc(tag, summary, query, request, body, status);
        }

        Doc answers(Class<?> type) {
            return answers(Body.of(type));
        }

        Doc answersListOf(Class<?> type) {
            return answers(Body.listOf(type));
        }

        Doc status(int code) {
            return new Doc(tag, summary, query, request, answer, code);
        }

        Doc query(String name, String description) {
            return withParam(new Param(name, description, false));
        }

        Doc requiredQuery(String name, String description) {
            return withParam(new Param(name, description, true));
        }

        private Doc withParam(Param param) {
            return new Doc(tag, summary, Stream.concat(query.stream(), Stream.of(param)).toList(), request, answer,
                    status);
        }
    }

    private static final String RANGE = "an ISO-8601 instant, or a duration back from now (e.g. 6h, 7d)";

    private static final Map<String, Doc> ALL = table();

    private ApiDocs() {}

    /** Every description, keyed by {@code "METHOD /api/path"} as {@link ApiEndpoints} writes its rows. */
    static Map<String, Doc> all() {
        return ALL;
    }

    private static Map<String, Doc> table() {
        Map<String, Doc> docs = new LinkedHashMap<>();
        String tag = "Sessions";
        put(docs, "POST /api/auth/login", doc(tag, "Log in: sets the HttpOnly session cookie")
                .takes(AuthRoutes.LoginRequest.class).answers(AuthRoutes.LoggedIn.class));
        put(docs, "POST /api/auth/logout", doc(tag, "Log out: ends the session and clears its cookie")
                .answers(AuthRoutes.LoggedOut.class));
        put(docs, "POST /api/auth/forgot", doc(tag, "Ask for a password-reset link by email (always 202)")
                .takes(AuthRoutes.ForgotRequest.class).answers(AuthRoutes.ForgotAccepted.class).status(202));
        put(docs, "POST /api/auth/reset", doc(tag, "Set a new password with a reset link's token")
                .takes(AuthRoutes.ResetRequest.class).answers(AuthRoutes.PasswordReset.class));
        put(docs, "GET /api/auth/me", doc(tag, "Who is logged in").answers(AuthRoutes.Me.class));
        put(docs, "POST /api/auth/password", doc(tag, "Change one's own password (ends one's other sessions)")
                .takes(AuthRoutes.PasswordChange.class).answers(AuthRoutes.PasswordChanged.class));

        tag = "Users";
        put(docs, "GET /api/users", doc(tag, "Every account").answersListOf(UserRoutes.UserBody.class));
        put(docs, "POST /api/users", doc(tag, "Create an account").takes(UserRoutes.UserRequest.class)
                .answers(UserRoutes.UserBody.class).status(201));
        put(docs, "GET /api/users/{username}", doc(tag, "One account").answers(UserRoutes.UserBody.class));
        put(docs, "PATCH /api/users/{username}", doc(tag, "Change an account's role, state, email or password")
                .takes(UserRoutes.UserPatch.class).answers(UserRoutes.UserBody.class));
        put(docs, "DELETE /api/users/{username}", doc(tag, "Delete an account").answers(Deleted.class));
        put(docs, "GET /api/audit", doc(tag, "The audit log, newest first")
                .query("limit", "at most this many entries").answersListOf(UserRoutes.AuditEntryBody.class));
        put(docs, "GET /api/tokens", doc(tag, "One's API tokens (admins: everyone's)")
                .answersListOf(TokenRoutes.ApiTokenBody.class));
        put(docs, "POST /api/tokens", doc(tag, "Create an API token: its secret is shown once")
                .takes(TokenRoutes.ApiTokenRequest.class).answers(TokenRoutes.ApiTokenCreated.class).status(201));
        put(docs, "DELETE /api/tokens/{id}", doc(tag, "Revoke an API token").answers(Deleted.class));

        tag = "Servers";
        put(docs, "GET /api/servers", doc(tag, "The fleet: every server's summary").answersListOf(ServerSummary.class));
        put(docs, "GET /api/servers/{id}", doc(tag, "One server: summary, system, latest report, recent window")
                .answers(ServerRoutes.ServerDetailBody.class));
        put(docs, "PATCH /api/servers/{id}", doc(tag, "Rename, group, tag or annotate a server")
                .takes(ServerRoutes.ServerPatchRequest.class).answers(ServerSummary.class));
        put(docs, "DELETE /api/servers/{id}", doc(tag, "Delete a server, its credential and its data")
                .answers(Deleted.class));
        put(docs, "POST /api/servers/{id}/credential/revoke", doc(tag, "Revoke the agent's credential")
                .answers(EnrollmentRoutes.IdentityChanged.class));
        put(docs, "GET /api/servers/{id}/metrics", doc(tag, "One series over a range, at the resolution the range needs")
                .requiredQuery("name", "the series, e.g. cpu.percent or fs.used.percent{mount=/}")
                .query("from", RANGE).query("to", RANGE).answers(ServerRoutes.MetricSeriesBody.class));
        put(docs, "GET /api/servers/{id}/events", doc(tag, "The server's audit history, newest first")
                .query("limit", "at most this many events").query("before", "the nextBefore of the page before")
                .answers(ServerRoutes.HistoryPage.class));
        put(docs, "GET /api/servers/{id}/processes", doc(tag, "Every process, asked of the agent now")
                .answers(ProcessListView.class));

        tag = "Services";
        put(docs, "GET /api/servers/{id}/services", doc(tag, "The server's services and their recovery state")
                .answers(ServicesBody.class));
        put(docs, "POST /api/servers/{id}/services/{name}/actions", doc(tag, "Start, stop or restart a service")
                .takes(ServiceRoutes.ActionRequest.class).answers(ServiceRoutes.ActionDone.class));
        put(docs, "GET /api/servers/{id}/services/{name}/logs", doc(tag, "A service's latest log lines")
                .query("lines", "how many lines (default 100)").answers(ServiceRoutes.LogLines.class));
        put(docs, "PUT /api/servers/{id}/services/{name}/auto-restart", doc(tag, "Turn automatic restarts on or off")
                .takes(ServiceRoutes.AutoRestartRequest.class)
                .answers(Body.json("the service as GET …/services lists it")));

        tag = "Backups";
        put(docs, "GET /api/servers/{id}/backup-key", doc(tag, "The agent's SSH public key for a backup destination")
                .query("path", "the destination directory the key is restricted to")
                .answers(BackupsBody.BackupKeyBody.class));
        put(docs, "GET /api/servers/{id}/backups", doc(tag, "The server's backup jobs")
                .answers(Body.json("{\"jobs\": [JobBody …]}")));
        put(docs, "POST /api/servers/{id}/backups", doc(tag, "Create a backup job")
                .takes(BackupRoutes.JobRequest.class).answers(BackupsBody.JobBody.class).status(201));
        put(docs, "GET /api/servers/{id}/backups/{jobId}", doc(tag, "One backup job").answers(BackupsBody.JobBody.class));
        put(docs, "PUT /api/servers/{id}/backups/{jobId}", doc(tag, "Change a backup job")
                .takes(BackupRoutes.JobRequest.class).answers(BackupsBody.JobBody.class));
        put(docs, "DELETE /api/servers/{id}/backups/{jobId}", doc(tag, "Delete a backup job").answers(Deleted.class));
        put(docs, "POST /api/servers/{id}/backups/{jobId}/run", doc(tag, "Run a backup job now")
                .answers(BackupRoutes.RunAccepted.class).status(202));
        put(docs, "GET /api/servers/{id}/backups/{jobId}/runs", doc(tag, "A job's runs, newest first")
                .answersListOf(BackupsBody.RunBody.class));
        put(docs, "POST /api/servers/{id}/backups/{jobId}/trust-host-key", doc(tag, "Pin the destination's host key")
                .takes(BackupRoutes.TrustRequest.class).answers(BackupsBody.JobBody.class));
        put(docs, "POST /api/servers/{id}/backups/{jobId}/restore", doc(tag, "Restore a path from a snapshot")
                .takes(BackupRoutes.RestoreRequest.class).answers(BackupRoutes.RestoreAccepted.class).status(202));
        put(docs, "GET /api/servers/{id}/backups/{jobId}/restores/{restoreId}", doc(tag, "A restore's progress")
                .answers(BackupsBody.RestoreBody.class));
        put(docs, "GET /api/servers/{id}/backups/{jobId}/snapshots/{snapshot}/tree", doc(tag,
                "The files of a snapshot under a path").query("path", "the directory to list")
                .answers(BackupRoutes.TreeBody.class));

        tag = "Checks";
        String check = "a check as defined, with its state per vantage";
        put(docs, "GET /api/checks", doc(tag, "Every URL, TCP, TLS and DNS check")
                .answers(Body.json("{\"checks\": [" + check + " …]}")));
        put(docs, "POST /api/checks", doc(tag, "Define a check").takes(Body.json("a check definition"))
                .answers(Body.json(check)).status(201));
        put(docs, "POST /api/checks/import", doc(tag, "Import checks from an Uptime Kuma backup or a Gatus config")
                .takes(Body.json("{\"format\": \"uptime-kuma\"|\"gatus\", \"content\": \"…\", \"dryRun\": false}"))
                .answers(Body.json("what was imported, skipped and why")).status(201));
        put(docs, "GET /api/checks/{id}", doc(tag, "One check").answers(Body.json(check)));
        put(docs, "PUT /api/checks/{id}", doc(tag, "Change a check").takes(Body.json("a check definition"))
                .answers(Body.json(check)));
        put(docs, "DELETE /api/checks/{id}", doc(tag, "Delete a check").answers(Deleted.class));
        put(docs, "GET /api/checks/{id}/results", doc(tag, "Latency per vantage and phase, uptime, percentiles")
                .query("from", RANGE).query("to", RANGE).answers(Body.json("results per vantage")));
        put(docs, "POST /api/checks/{id}/run", doc(tag, "Run a check now on its vantages")
                .answers(Body.json("{\"requested\": [server ids]}")).status(202));
        put(docs, "GET /api/servers/{id}/checks", doc(tag, "The checks a server runs")
                .answers(Body.json("{\"checks\": [" + check + " …]}")));
        put(docs, "GET /api/maintenance", doc(tag, "Maintenance windows").answers(Body.json("the windows")));
        put(docs, "POST /api/maintenance", doc(tag, "Plan a maintenance window")
                .takes(Body.json("a window: name, schedule, checks or group")).answers(Body.json("the window"))
                .status(201));
        put(docs, "GET /api/maintenance/{id}", doc(tag, "One maintenance window").answers(Body.json("the window")));
        put(docs, "PUT /api/maintenance/{id}", doc(tag, "Change a maintenance window")
                .takes(Body.json("a window")).answers(Body.json("the window")));
        put(docs, "DELETE /api/maintenance/{id}", doc(tag, "Delete a maintenance window").answers(Deleted.class));
        put(docs, "GET /api/status-pages", doc(tag, "Published status pages").answers(Body.json("{\"pages\": […]}")));
        put(docs, "PUT /api/status-pages/{group}", doc(tag, "Publish or change a group's status page")
                .takes(StatusRoutes.PageRequest.class).answers(Body.json("the page")));
        put(docs, "GET /api/status/{group}", doc(tag, "A published status page (no login)")
                .answers(Body.json("the group's checks, uptime and incidents")));

        tag = "Alerts";
        put(docs, "GET /api/alert-rules", doc(tag, "Every alert rule").answersListOf(AlertRuleRoutes.RuleBody.class));
        put(docs, "POST /api/alert-rules", doc(tag, "Create an alert rule")
                .takes(AlertRuleRoutes.RuleRequest.class).answers(AlertRuleRoutes.RuleBody.class).status(201));
        put(docs, "GET /api/alert-rules/{id}", doc(tag, "One alert rule").answers(AlertRuleRoutes.RuleBody.class));
        put(docs, "PUT /api/alert-rules/{id}", doc(tag, "Change an alert rule")
                .takes(AlertRuleRoutes.RuleRequest.class).answers(AlertRuleRoutes.RuleBody.class));
        put(docs, "DELETE /api/alert-rules/{id}", doc(tag, "Delete an alert rule").answers(Deleted.class));
        put(docs, "GET /api/alerts", doc(tag, "Alerts firing now").answersListOf(AlertRoutes.ActiveAlertBody.class));
        put(docs, "GET /api/alerts/history", doc(tag, "Alert episodes, newest first")
                .query("server", "one server's id").query("severity", "warning or critical")
                .query("limit", "at most this many").answersListOf(AlertRoutes.AlertEpisodeBody.class));
        put(docs, "POST /api/alerts/ack", doc(tag, "Acknowledge a firing alert")
                .takes(AlertRoutes.AcknowledgeRequest.class).answers(AlertRoutes.ActiveAlertBody.class));
        put(docs, "GET /api/silences", doc(tag, "Active silences").answersListOf(AlertRoutes.SilenceBody.class));
        put(docs, "POST /api/silences", doc(tag, "Silence a server, a rule or both for some minutes")
                .takes(AlertRoutes.SilenceRequest.class).answers(AlertRoutes.SilenceBody.class).status(201));
        put(docs, "DELETE /api/silences/{id}", doc(tag, "End a silence").answers(AlertRoutes.SilenceEnded.class));
        put(docs, "GET /api/inbox", doc(tag, "The user's notification inbox").answers(AlertRoutes.InboxBody.class));
        put(docs, "POST /api/inbox/read", doc(tag, "Mark the inbox read up to an item")
                .takes(AlertRoutes.ReadRequest.class).answers(AlertRoutes.Unread.class));

        tag = "Notifications";
        put(docs, "GET /api/channels", doc(tag, "Notification channels (secrets masked)")
                .answersListOf(ChannelRoutes.ChannelBody.class));
        put(docs, "POST /api/channels", doc(tag, "Create a channel: email, webhook, Slack, Telegram…")
                .takes(ChannelRoutes.ChannelRequest.class).answers(ChannelRoutes.ChannelBody.class).status(201));
        put(docs, "GET /api/channels/{id}", doc(tag, "One channel").answers(ChannelRoutes.ChannelBody.class));
        put(docs, "PUT /api/channels/{id}", doc(tag, "Change a channel (absent secrets are kept)")
                .takes(ChannelRoutes.ChannelRequest.class).answers(ChannelRoutes.ChannelBody.class));
        put(docs, "DELETE /api/channels/{id}", doc(tag, "Delete a channel").answers(Deleted.class));
        put(docs, "POST /api/channels/{id}/test", doc(tag, "Send a test notification now")
                .answers(ChannelRoutes.TestSent.class));
        put(docs, "GET /api/notifications", doc(tag, "Sent and pending notifications, newest first")
                .query("channel", "one channel's id").query("limit", "at most this many")
                .answersListOf(ChannelRoutes.DeliveryBody.class));
        put(docs, "GET /api/notifications/{id}/attempts", doc(tag, "Every delivery attempt of a notification")
                .answersListOf(Outbox.Attempt.class));

        tag = "Agents";
        put(docs, "POST /api/enrollment-tokens", doc(tag, "A token to enroll agents, with the install command")
                .takes(EnrollmentRoutes.TokenRequest.class).answers(EnrollmentRoutes.TokenBody.class).status(201));
        put(docs, "GET /api/enrollment-tokens", doc(tag, "Enrollment tokens (never the secrets)")
                .answers(EnrollmentRoutes.TokenList.class));
        put(docs, "DELETE /api/enrollment-tokens/{id}", doc(tag, "Revoke an enrollment token")
                .answers(EnrollmentRoutes.IdentityChanged.class));
        put(docs, "GET /api/re-enrollments", doc(tag, "Agents waiting for approval of a changed identity")
                .answers(EnrollmentRoutes.ReEnrollmentList.class));
        put(docs, "POST /api/re-enrollments/{id}/approve", doc(tag, "Approve a re-enrollment")
                .answers(EnrollmentRoutes.IdentityChanged.class));
        put(docs, "POST /api/re-enrollments/{id}/deny", doc(tag, "Deny a re-enrollment")
                .answers(EnrollmentRoutes.IdentityChanged.class));

        put(docs, "POST /api/ssh-installs/host-key", doc(tag, "Connect to a host as far as its SSH host key, to confirm it")
                .takes(SshInstallRoutes.HostKeyRequest.class).answers(SshInstalls.HostKey.class));
        put(docs, "POST /api/ssh-installs", doc(tag, "Install an agent over SSH (password or key used once, never stored)")
                .takes(SshInstallRoutes.SshInstallRequest.class).answers(InstallJob.View.class).status(202));
        put(docs, "GET /api/ssh-installs/{id}", doc(tag, "An SSH install's state and log lines")
                .query("from", "the first log line to return (what the caller has not seen)")
                .answers(InstallJob.View.class));
        put(docs, "GET /api/ssh-installs/{id}/events", doc(tag, "An SSH install live: server-sent events")
                .answers(Body.text("text/event-stream", "'line' per log line, 'state' (the view without lines) at"
                        + " each change, then 'end'")));

        tag = "Node and cluster";
        put(docs, "GET /api/node", doc(tag, "This node: version, address, database, ingest counters")
                .answers(NodeRoutes.NodeBody.class));
        put(docs, "GET /api/cluster", doc(tag, "Members, what each hosts, and the failover history")
                .answers(ClusterSnapshot.class));
        put(docs, "GET /api/openapi.json", doc(tag, "This document (no login)")
                .answers(Body.json("an OpenAPI 3.1 document")));

        tag = "Integrations";
        put(docs, "GET /api/check", doc(tag, "One metric judged as a Nagios plugin would (exit code, perfdata)")
                .requiredQuery("server", "the server's id or name").requiredQuery("metric", "the series")
                .query("warn", "a Nagios range").query("crit", "a Nagios range")
                .query("offline", "critical: an offline server is CRITICAL (default UNKNOWN: its values are stale)")
                .query("format", "json (default) or text: the plugin line")
                .answers(NagiosRoutes.NagiosAnswer.class));

        tag = "Settings";
        put(docs, "GET /api/settings", doc(tag, "Every runtime setting: its value, where it comes from, the config's")
                .answers(SettingsRoutes.SettingsBody.class));
        put(docs, "PUT /api/settings", doc(tag, "Change settings on every node at once (null resets one to the config)")
                .takes(Body.json("{\"offlineAfterMissedReports\": 3, \"retentionRaw\": \"7d\", …}: only the keys"
                        + " to change; 400 names each bad field"))
                .answers(SettingsRoutes.SettingsBody.class));
        put(docs, "GET /api/settings/storage", doc(tag, "Rows and bytes stored per metric tier")
                .answers(SettingsRoutes.StorageBody.class));
        put(docs, "POST /api/settings/purge", doc(tag, "Preview, or with dryRun false delete, metrics older than an age")
                .takes(SettingsRoutes.PurgeRequest.class).answers(SettingsRoutes.PurgeBody.class));

        tag = "Export";
        put(docs, "GET /api/servers/{id}/export", doc(tag, "A server's metrics over a range, at the charts' resolution"
                + " (header X-Steward-Resolution), streamed as a download")
                .query("format", "csv (default: time,series,value) or json").query("from", RANGE).query("to", RANGE)
                .query("name", "only this series (default: every series)")
                .answers(Body.text("text/csv", "time,series,value rows; with format=json an application/json"
                        + " document of the same rows")));
        put(docs, "GET /api/inventory/export", doc(tag, "The fleet inventory as a download")
                .query("format", "csv (default) or json (the list of GET /api/servers)")
                .answers(Body.text("text/csv", "one row per server; with format=json the server summaries")));
        put(docs, "GET /api/alerts/history/export", doc(tag, "Every past and present alert episode as CSV")
                .query("format", "csv (the only one)").query("server", "only this server")
                .query("severity", "only this severity")
                .answers(Body.text("text/csv", "one row per alert episode")));
        put(docs, "GET /api/backup-runs/export", doc(tag, "Backup runs as CSV")
                .query("format", "csv (the only one)").query("server", "only this server's jobs")
                .answers(Body.text("text/csv", "one row per run of each job")));
        return Collections.unmodifiableMap(docs);
    }

    /** An endpoint outside {@code /api} (for load balancers, supervisors and scrapers), documented too. */
    record Outside(String method, String path, ApiEndpoints.Access access, Doc doc) {}

    /** {@code /healthz}, {@code /readyz}, {@code /metrics} and the downloads: routed by {@link HttpApi} beside the API. */
    static List<Outside> outside() {
        String tag = "Node and cluster";
        return List.of(
                new Outside("GET", "/healthz", ApiEndpoints.Access.PUBLIC, doc(tag,
                        "Liveness: 200 when the node is an Up member and its database answers, 503 otherwise")
                        .answers(NodeRoutes.Health.class)),
                new Outside("GET", "/readyz", ApiEndpoints.Access.PUBLIC, doc(tag,
                        "Readiness for a load balancer: 200 when the node can take agents and users, 503 otherwise")
                        .answers(io.steward.node.cluster.Readiness.class)),
                new Outside("GET", "/metrics", ApiEndpoints.Access.USER, doc("Integrations",
                        "The node's own metrics (and, with steward.metrics.fleet, the fleet's) for Prometheus")
                        .answers(Body.text("text/plain", "the Prometheus text exposition format 0.0.4"))),
                new Outside("GET", "/install.sh", ApiEndpoints.Access.PUBLIC, doc("Agents",
                        "The agent's install script (the same as /downloads/install.sh); the token is its argument")
                        .answers(Body.text("text/plain", "a POSIX sh script"))),
                new Outside("GET", "/downloads/{file}", ApiEndpoints.Access.PUBLIC, doc("Agents",
                        "The agent bundle (.tar.gz, .deb) and a .sha256 beside each, from steward.downloads.dir")
                        .answers(Body.text("application/octet-stream", "the file"))));
    }

    private static Doc doc(String tag, String summary) {
        return new Doc(tag, summary, List.of(), null, Body.json(""), 200);
    }

    private static void put(Map<String, Doc> docs, String key, Doc doc) {
        if (docs.putIfAbsent(key, doc) != null) {
            throw new IllegalStateException("two descriptions of " + key);
        }
    }

    /** The tags in the order of the table, for the document's tag list. */
    static List<String> tags() {
        return List.of("Sessions", "Users", "Servers", "Services", "Backups", "Checks", "Alerts", "Notifications",
                "Agents", "Node and cluster", "Integrations");
    }
}
