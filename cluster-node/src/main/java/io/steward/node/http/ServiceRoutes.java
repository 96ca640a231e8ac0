package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.node.auth.UserStore;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServicesJson;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/servers/{id}/services}: the services the server's agent watches, start/stop/restart (admin, recorded
 * with the user), log lines, and auto-restart. Commands go through the server's entity to the agent's connection,
 * wherever in the cluster each lives; the agent alone decides whether it may act.
 */
final class ServiceRoutes extends ApiDirectives {
    private static final java.util.regex.Pattern SERVER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<Integer> LOG_LINES = Set.of(50, 100, 500, 1000);

    ServiceRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return concat(processes(), services(user));
    }

    /** {@code GET /api/servers/{id}/processes}: every process, fetched from the agent now. */
    private Route processes() {
        return path(PathMatchers.segment("servers").slash(PathMatchers.segment(SERVER_ID)).slash("processes"),
                serverId -> get(() -> onSuccess(entity(serverId).<ServerEntity.ProcessListView>askWithStatus(
                        ServerEntity.ListProcesses::new, askTimeout().plusSeconds(10)), list ->
                        complete(Json.ok(Map.of("collectedAt", list.collectedAt(), "processes", list.processes()))))));
    }

    private Route services(UserStore.User user) {
        return pathPrefix(PathMatchers.segment("servers").slash(PathMatchers.segment(SERVER_ID))
                .slash("services"), serverId -> concat(
                pathEndOrSingleSlash(() -> get(() -> onSuccess(entity(serverId)
                                .<ServerEntity.ServicesView>askWithStatus(ServerEntity.GetServices::new, askTimeout()),
                        view -> complete(Json.ok(ServicesJson.describe(view)))))),
                pathPrefix(PathMatchers.segment(ServiceState.NAME), service -> concat(
                        path("actions", () -> post(() -> admin(user, jsonBody(body ->
                                act(serverId, service, action(body), 0, user))))),
                        // Logs can hold anything a service prints (tokens, addresses): admins only.
                        path("logs", () -> get(() -> admin(user, parameterOptional("lines", lines ->
                                act(serverId, service, ServiceAction.LOGS, logLines(lines.orElse("100")), user))))),
                        path("auto-restart", () -> put(() -> admin(user, jsonBody(body -> {
                            JsonNode enabled = body.get("enabled");
                            if (enabled == null || !enabled.isBoolean()) {
                                throw new Json.BadRequest("enabled must be true or false");
                            }
                            return onSuccess(entity(serverId).<org.apache.pekko.Done>askWithStatus(replyTo ->
                                    new ServerEntity.SetAutoRestart(service, enabled.asBoolean(), user.username(),
                                            replyTo), askTimeout()), done -> onSuccess(entity(serverId)
                                    .<ServerEntity.ServicesView>askWithStatus(ServerEntity.GetServices::new,
                                            askTimeout()), view -> complete(Json.ok(view.services().stream()
                                    .filter(s -> s.state().name().equals(service)).findFirst()
                                    .map(s -> (Object) ServicesJson.describe(s))
                                    .orElse(Map.of("name", service, "autoRestart", enabled.asBoolean()))))));
                        }))))))));
    }

    /** Sends the command and maps the agent's answer to a status: refused 409, failed 502, timeout 504. */
    private Route act(String serverId, String service, ServiceAction action, int lines, UserStore.User user) {
        // The entity answers by its command deadline (command timeout + 5 s); the ask and the HTTP request wait longer,
        // so the caller gets the real outcome or a 504, never the server's generic request timeout.
        Duration commandTimeout = context.system().settings().config().getDuration("steward.services.command-timeout");
        Duration wait = commandTimeout.plusSeconds(10);
        return withRequestTimeout(wait.plusSeconds(5), () -> onSuccess(entity(serverId).<ServerEntity.ServiceCommandOutcome>askWithStatus(replyTo ->
                new ServerEntity.RunServiceAction(service, action, lines, user.username(), replyTo), wait), outcome -> {
            StatusCode status = switch (outcome.result()) {
                case DONE -> StatusCodes.OK;
                case FAILED -> StatusCodes.BAD_GATEWAY;
                case REFUSED -> StatusCodes.CONFLICT;
                case TIMED_OUT -> StatusCodes.GATEWAY_TIMEOUT;
                case NOT_CONNECTED -> StatusCodes.SERVICE_UNAVAILABLE;
            };
            if (outcome.result() != ServerEntity.ServiceCommandOutcome.Result.DONE) {
                return complete(Json.error(status, outcome.message()));
            }
            return complete(Json.ok(action == ServiceAction.LOGS
                    ? Map.of("lines", outcome.lines())
                    : Map.of("ok", true, "message", outcome.message() == null ? "done" : outcome.message())));
        }));
    }

    private static ServiceAction action(JsonNode body) {
        String text = body.path("action").asText("");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "start" -> ServiceAction.START;
            case "stop" -> ServiceAction.STOP;
            case "restart" -> ServiceAction.RESTART;
            default -> throw new Json.BadRequest("action must be start, stop or restart");
        };
    }

    private static int logLines(String text) {
        try {
            int lines = Integer.parseInt(text);
            if (LOG_LINES.contains(lines)) {
                return lines;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new Json.BadRequest("lines must be 50, 100, 500 or 1000");
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ServerEntity.Command> entity(String id) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id);
    }

    private Duration askTimeout() {
        return context.settings().askTimeout();
    }
}
