package io.steward.node.http;

import static java.util.Objects.requireNonNull;

import io.steward.node.auth.UserStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every endpoint of {@code /api} with who may call it: the table the HTTP edge enforces before any route runs. A
 * request that matches no row is answered 404 (or 405) without reaching a route, so a new route that is not listed
 * here cannot be called at all — and one that is listed states its role where a test walks it. The routes keep their
 * own admin checks as a second line.
 */
public final class ApiEndpoints {

    /** Who may call an endpoint. */
    public enum Access {
        /** Anyone, logged in or not (login, "forgot password?"). */
        PUBLIC,
        /** Any logged-in user or API token. */
        USER,
        /** Admins, and admin-scoped API tokens of admins. */
        ADMIN;

        boolean allows(UserStore.Role role) {
            return switch (this) {
                case PUBLIC, USER -> true;
                case ADMIN -> role == UserStore.Role.ADMIN;
            };
        }
    }

    /** One method on one path; {@code {name}} in the path matches any single segment. */
    public record Endpoint(String method, String path, Access access) {
        public Endpoint {
            requireNonNull(method, "method is null");
            requireNonNull(access, "access is null");
            if (!path.startsWith("/api/")) {
                throw new IllegalArgumentException("an API path starts with /api/: " + path);
            }
        }

        List<String> segments() {
            return List.of(path.substring(1).split("/"));
        }

        boolean matches(List<String> requestSegments) {
            List<String> own = segments();
            if (own.size() != requestSegments.size()) {
                return false;
            }
            for (int i = 0; i < own.size(); i++) {
                String segment = own.get(i);
                boolean placeholder = segment.startsWith("{");
                if (placeholder ? requestSegments.get(i).isEmpty() : !segment.equals(requestSegments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        long literals() {
            return segments().stream().filter(segment -> !segment.startsWith("{")).count();
        }
    }

    /** What the table says about a request. */
    public sealed interface Match {
        record Found(Endpoint endpoint) implements Match {}

        /** The path exists, but not with this method. */
        record WrongMethod(List<String> allowed) implements Match {}

        record NoSuchPath() implements Match {}
    }

    private static final List<Endpoint> ALL = List.of(
            // Sessions and passwords
            endpoint("POST /api/auth/login", Access.PUBLIC),
            endpoint("POST /api/auth/logout", Access.PUBLIC),
            endpoint("POST /api/auth/forgot", Access.PUBLIC),
            endpoint("POST /api/auth/reset", Access.PUBLIC),
            endpoint("GET /api/auth/me", Access.USER),
            endpoint("POST /api/auth/password", Access.USER),
            // Users, audit log, API tokens
            endpoint("GET /api/users", Access.ADMIN),
            endpoint("POST /api/users", Access.ADMIN),
            endpoint("GET /api/users/{username}", Access.ADMIN),
            endpoint("PATCH /api/users/{username}", Access.ADMIN),
            endpoint("DELETE /api/users/{username}", Access.ADMIN),
            endpoint("GET /api/audit", Access.ADMIN),
            endpoint("GET /api/tokens", Access.USER),
            endpoint("POST /api/tokens", Access.USER),
            endpoint("DELETE /api/tokens/{id}", Access.USER),
            // Servers
            endpoint("GET /api/servers", Access.USER),
            endpoint("GET /api/servers/{id}", Access.USER),
            endpoint("PATCH /api/servers/{id}", Access.ADMIN),
            endpoint("DELETE /api/servers/{id}", Access.ADMIN),
            endpoint("POST /api/servers/{id}/credential/revoke", Access.ADMIN),
            endpoint("GET /api/servers/{id}/metrics", Access.USER),
            endpoint("GET /api/servers/{id}/events", Access.USER),
            endpoint("GET /api/servers/{id}/processes", Access.USER),
            // Downloads (issue 15): CSV via Commons CSV, streamed
            endpoint("GET /api/servers/{id}/export", Access.USER),
            endpoint("GET /api/inventory/export", Access.USER),
            endpoint("GET /api/alerts/history/export", Access.USER),
            endpoint("GET /api/backup-runs/export", Access.USER),
            // Services
            endpoint("GET /api/servers/{id}/services", Access.USER),
            endpoint("POST /api/servers/{id}/services/{name}/actions", Access.ADMIN),
            endpoint("GET /api/servers/{id}/services/{name}/logs", Access.ADMIN),
            endpoint("PUT /api/servers/{id}/services/{name}/auto-restart", Access.ADMIN),
            // Backups
            endpoint("GET /api/servers/{id}/backup-key", Access.USER),
            endpoint("GET /api/servers/{id}/backups", Access.USER),
            endpoint("POST /api/servers/{id}/backups", Access.ADMIN),
            endpoint("GET /api/servers/{id}/backups/{jobId}", Access.USER),
            endpoint("PUT /api/servers/{id}/backups/{jobId}", Access.ADMIN),
            endpoint("DELETE /api/servers/{id}/backups/{jobId}", Access.ADMIN),
            endpoint("POST /api/servers/{id}/backups/{jobId}/run", Access.ADMIN),
            endpoint("GET /api/servers/{id}/backups/{jobId}/runs", Access.USER),
            endpoint("POST /api/servers/{id}/backups/{jobId}/trust-host-key", Access.ADMIN),
            endpoint("POST /api/servers/{id}/backups/{jobId}/restore", Access.ADMIN),
            endpoint("GET /api/servers/{id}/backups/{jobId}/restores/{restoreId}", Access.USER),
            endpoint("GET /api/servers/{id}/backups/{jobId}/snapshots/{snapshot}/tree", Access.ADMIN),
            // URL, TCP, TLS and DNS checks (issue 13)
            endpoint("GET /api/checks", Access.USER),
            endpoint("POST /api/checks", Access.ADMIN),
            endpoint("POST /api/checks/import", Access.ADMIN),
            endpoint("GET /api/checks/{id}", Access.USER),
            endpoint("PUT /api/checks/{id}", Access.ADMIN),
            endpoint("DELETE /api/checks/{id}", Access.ADMIN),
            endpoint("GET /api/checks/{id}/results", Access.USER),
            endpoint("POST /api/checks/{id}/run", Access.ADMIN),
            endpoint("GET /api/servers/{id}/checks", Access.USER),
            endpoint("GET /api/maintenance", Access.USER),
            endpoint("POST /api/maintenance", Access.ADMIN),
            endpoint("GET /api/maintenance/{id}", Access.USER),
            endpoint("PUT /api/maintenance/{id}", Access.ADMIN),
            endpoint("DELETE /api/maintenance/{id}", Access.ADMIN),
            endpoint("GET /api/status-pages", Access.ADMIN),
            endpoint("PUT /api/status-pages/{group}", Access.ADMIN),
            endpoint("GET /api/status/{group}", Access.PUBLIC),
            // Alerting
            endpoint("GET /api/alert-rules", Access.USER),
            endpoint("POST /api/alert-rules", Access.ADMIN),
            endpoint("GET /api/alert-rules/{id}", Access.USER),
            endpoint("PUT /api/alert-rules/{id}", Access.ADMIN),
            endpoint("DELETE /api/alert-rules/{id}", Access.ADMIN),
            endpoint("GET /api/alerts", Access.USER),
            endpoint("GET /api/alerts/history", Access.USER),
            endpoint("POST /api/alerts/ack", Access.ADMIN),
            endpoint("GET /api/silences", Access.USER),
            endpoint("POST /api/silences", Access.ADMIN),
            endpoint("DELETE /api/silences/{id}", Access.ADMIN),
            endpoint("GET /api/inbox", Access.USER),
            endpoint("POST /api/inbox/read", Access.USER),
            // Notifications
            endpoint("GET /api/channels", Access.USER),
            endpoint("POST /api/channels", Access.ADMIN),
            endpoint("GET /api/channels/{id}", Access.USER),
            endpoint("PUT /api/channels/{id}", Access.ADMIN),
            endpoint("DELETE /api/channels/{id}", Access.ADMIN),
            endpoint("POST /api/channels/{id}/test", Access.ADMIN),
            endpoint("GET /api/notifications", Access.USER),
            endpoint("GET /api/notifications/{id}/attempts", Access.USER),
            // Agents and the node
            endpoint("POST /api/enrollment-tokens", Access.ADMIN),
            endpoint("GET /api/enrollment-tokens", Access.ADMIN),
            endpoint("DELETE /api/enrollment-tokens/{id}", Access.ADMIN),
            endpoint("GET /api/re-enrollments", Access.ADMIN),
            endpoint("POST /api/re-enrollments/{id}/approve", Access.ADMIN),
            endpoint("POST /api/re-enrollments/{id}/deny", Access.ADMIN),
            // Agent install over SSH (issue 15): the host key to confirm, the install, its progress
            endpoint("POST /api/ssh-installs/host-key", Access.ADMIN),
            endpoint("POST /api/ssh-installs", Access.ADMIN),
            endpoint("GET /api/ssh-installs/{id}", Access.ADMIN),
            endpoint("GET /api/ssh-installs/{id}/events", Access.ADMIN),
            endpoint("GET /api/node", Access.USER),
            // The API's own description (issue 15): public, like the dashboard's code; it holds no data
            endpoint("GET /api/openapi.json", Access.PUBLIC),
            // Runtime settings, storage per tier and data purge (issue 15)
            endpoint("GET /api/settings", Access.ADMIN),
            endpoint("PUT /api/settings", Access.ADMIN),
            endpoint("GET /api/settings/storage", Access.ADMIN),
            endpoint("POST /api/settings/purge", Access.ADMIN),
            // The cluster: members, what each hosts, failover history (issue 14)
            endpoint("GET /api/cluster", Access.ADMIN),
            // Nagios/Icinga check of one metric (issue 15); GET /metrics is outside /api, like /healthz
            endpoint("GET /api/check", Access.USER));

    private ApiEndpoints() {}

    /** The whole table, in the order above. */
    public static List<Endpoint> all() {
        return ALL;
    }

    /**
     * The row for a request ({@code segments} are the decoded path segments, {@code api} first; one trailing empty
     * segment, from a trailing slash, is ignored). When several rows match, the one with more literal segments wins.
     */
    public static Match match(String method, List<String> segments) {
        List<String> path = new ArrayList<>(segments);
        if (path.size() > 1 && path.get(path.size() - 1).isEmpty()) {
            path.remove(path.size() - 1);
        }
        List<Endpoint> onPath = ALL.stream().filter(endpoint -> endpoint.matches(path)).toList();
        Optional<Endpoint> found = onPath.stream().filter(endpoint -> endpoint.method().equals(method))
                .max(Comparator.comparingLong(Endpoint::literals));
        if (found.isPresent()) {
            return new Match.Found(found.get());
        }
        if (!onPath.isEmpty()) {
            return new Match.WrongMethod(onPath.stream().map(Endpoint::method).distinct().toList());
        }
        return new Match.NoSuchPath();
    }

    private static Endpoint endpoint(String line, Access access) {
        String[] parts = line.split(" ");
        return new Endpoint(parts[0], parts[1], access);
    }
}
