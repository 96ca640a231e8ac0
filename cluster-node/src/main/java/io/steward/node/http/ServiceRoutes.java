package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.fleet.ServerId;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import io.steward.node.server.ChannelCommand;
import io.steward.node.server.ProcessListView;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServiceCommand;
import io.steward.node.server.ServiceCommandOutcome;
import io.steward.node.server.ServicesBody;
import io.steward.node.server.ServicesView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/servers/{id}/services}: the services the server's agent watches, start/stop/restart (admin, recorded
 * with the user), log lines, and auto-restart; and {@code /api/servers/{id}/processes}. Commands go through the
 * server's entity to the agent's connection, wherever in the cluster each lives; the agent alone decides whether it
 * may act.
 */
final class ServiceRoutes extends ApiDirectives {
    private static final Set<Integer> LOG_LINES = Set.of(50, 100, 500, 1000);

    /** What a person may ask a service to do (log lines have their own route). */
    public enum ActionName {
        START(ServiceAction.START), STOP(ServiceAction.STOP), RESTART(ServiceAction.RESTART);

        private final ServiceAction action;

        ActionName(ServiceAction action) {
            this.action = action;
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Any case, as before the wire names were typed ({@code "Restart"} still restarts). */
        @JsonCreator
        public static ActionName of(String name) {
            for (ActionName candidate : values()) {
                if (candidate.name().equalsIgnoreCase(name)) {
                    return candidate;
                }
            }
            throw Problem.invalid("action must be start, stop or restart, not '" + name + "'");
        }
    }

    /** {@code POST …/services/{name}/actions}. */
    public record ActionRequest(ActionName action) {
        public ActionRequest {
            if (action == null) {
                throw Problem.invalid("action must be start, stop or restart");
            }
        }
    }

    /** The agent did it; {@code message} is its own words. */
    public record ActionDone(boolean ok, String message) {}

    /** {@code GET …/services/{name}/logs}. */
    public record LogLines(List<String> lines) {}

    /** {@code PUT …/services/{name}/auto-restart}. */
    public record AutoRestartRequest(Boolean enabled) {
        public AutoRestartRequest {
            if (enabled == null) {
                throw Problem.invalid("enabled must be true or false");
            }
        }
    }

    /** The answer for a service the agent's latest check does not list: only the setting. */
    public record AutoRestartSet(String name, boolean autoRestart) {}

    ServiceRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix(PathMatchers.segment("servers").slash(PathMatchers.segment()), segment -> concat(
                path("processes", () -> get(() -> processes(serverId(segment)))),
                pathPrefix("services", () -> services(serverId(segment), user))));
    }

    /** {@code GET /api/servers/{id}/processes}: every process, fetched from the agent now. */
    private Route processes(ServerId serverId) {
        return onSuccess(entity(serverId).<ProcessListView>askWithStatus(ChannelCommand.ListProcesses::new,
                askTimeout().plusSeconds(10)), list -> complete(Json.ok(list)));
    }

    private Route services(ServerId serverId, UserStore.User user) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> onSuccess(servicesOf(serverId),
                        view -> complete(Json.ok(ServicesBody.of(view)))))),
                pathPrefix(PathMatchers.segment(ServiceState.NAME), service -> concat(
                        path("actions", () -> post(() -> admin(user, jsonBody(ActionRequest.class, body ->
                                act(serverId, service, body.action().action, 0, user))))),
                        // Logs can hold anything a service prints (tokens, addresses): admins only.
                        path("logs", () -> get(() -> admin(user, parameterOptional("lines", lines ->
                                act(serverId, service, ServiceAction.LOGS, logLines(lines.orElse("100")), user))))),
                        path("auto-restart", () -> put(() -> admin(user, jsonBody(AutoRestartRequest.class,
                                body -> setAutoRestart(serverId, service, body.enabled(), user))))))));
    }

    private Route setAutoRestart(ServerId serverId, String service, boolean enabled, UserStore.User user) {
        return onSuccess(entity(serverId).<Done>askWithStatus(replyTo -> new ServiceCommand.SetAutoRestart(service,
                        enabled, user.username(), replyTo), askTimeout()).thenCompose(done -> servicesOf(serverId)),
                view -> complete(Json.ok(view.services().stream()
                        .filter(s -> s.state().name().equals(service)).findFirst()
                        .<Object>map(ServicesBody.Service::of)
                        // Not in the agent's latest check (yet): the setting is kept for when it is.
                        .orElse(new AutoRestartSet(service, enabled)))));
    }

    private CompletionStage<ServicesView> servicesOf(ServerId serverId) {
        return entity(serverId).askWithStatus(ServiceCommand.GetServices::new, askTimeout());
    }

    /** Sends the command and maps the agent's answer: refused 409, failed 502, not connected 503, timeout 504. */
    private Route act(ServerId serverId, String service, ServiceAction action, int lines, UserStore.User user) {
        // The entity answers by its command deadline (command timeout + 5 s); the ask and the HTTP request wait longer,
        // so the caller gets the real outcome or a 504, never the server's generic request timeout. (After the node
        // stood still the entity puts its deadline off once, past this wait: the caller then gets the ask's timeout,
        // and the server's history the real outcome.)
        Duration commandTimeout = context.system().settings().config().getDuration("steward.services.command-timeout");
        Duration wait = commandTimeout.plusSeconds(10);
        return withRequestTimeout(wait.plusSeconds(5), () -> onSuccess(entity(serverId)
                .<ServiceCommandOutcome>askWithStatus(replyTo -> new ServiceCommand.RunServiceAction(service, action,
                        lines, user.username(), replyTo), wait), outcome -> {
                    Problem.Code failure = switch (outcome.result()) {
                        case DONE -> null;
                        case FAILED -> Problem.Code.UPSTREAM_FAILED;
                        case REFUSED -> Problem.Code.REFUSED;
                        case TIMED_OUT -> Problem.Code.TIMED_OUT;
                        case NOT_CONNECTED -> Problem.Code.NOT_CONNECTED;
                    };
                    if (failure != null) {
                        // The agent's own words when it gave some; the outcome's name otherwise (never an empty error).
                        String message = outcome.message() == null || outcome.message().isBlank()
                                ? "the " + action.name().toLowerCase(Locale.ROOT) + " of " + service + " "
                                        + outcome.result().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                : outcome.message();
                        return complete(ErrorResponses.of(failure, message));
                    }
                    return complete(Json.ok(action == ServiceAction.LOGS
                            ? new LogLines(outcome.lines())
                            : new ActionDone(true, outcome.message() == null ? "done" : outcome.message())));
                }));
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
        throw Problem.invalid("lines must be 50, 100, 500 or 1000");
    }

    private EntityRef<ServerCommand> entity(ServerId id) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id.value());
    }

    private Duration askTimeout() {
        return context.settings().askTimeout();
    }
}
