package io.steward.node.http;

import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's whole HTTP surface: health and readiness, Prometheus metrics, agent downloads, agent WebSocket, JSON
 * API, dashboard.
 */
public final class HttpApi extends AllDirectives {

    private final ApiContext context;

    public HttpApi(ApiContext context) {
        this.context = context;
    }

    public Route route() {
        NodeRoutes node = new NodeRoutes(context);
        AuthRoutes auth = new AuthRoutes(context);
        ServerRoutes servers = new ServerRoutes(context);
        EnrollmentRoutes enrollment = new EnrollmentRoutes(context);
        ApiSession session = new ApiSession(context);
        UiRoutes ui = new UiRoutes(context);
        LiveRoutes live = new LiveRoutes(context);
        AlertRuleRoutes alertRules = new AlertRuleRoutes(context);
        AlertRoutes alerts = new AlertRoutes(context);
        ChannelRoutes channels = new ChannelRoutes(context);
        ServiceRoutes services = new ServiceRoutes(context);
        BackupRoutes backups = new BackupRoutes(context);
        UserRoutes users = new UserRoutes(context);
        TokenRoutes tokens = new TokenRoutes(context);
        CheckRoutes checks = new CheckRoutes(context);
        MaintenanceRoutes maintenance = new MaintenanceRoutes(context);
        StatusRoutes status = new StatusRoutes(context);
        ClusterRoutes cluster = new ClusterRoutes(context);
        MetricsRoutes metrics = new MetricsRoutes(context);
        NagiosRoutes nagios = new NagiosRoutes(context);
        OpenApiRoutes openApi = new OpenApiRoutes(context);
        DownloadsRoutes downloads = new DownloadsRoutes(context);
        SshInstallRoutes sshInstalls = new SshInstallRoutes(context);
        ExportRoutes exports = new ExportRoutes(context);
        SettingsRoutes settings = new SettingsRoutes(context);
        return respondWithDefaultHeaders(SecurityHeaders.of(context.settings().tls()), () ->
                handleExceptions(exceptions(), () -> concat(
                node.health(),
                cluster.readiness(),
                metrics.route(),
                downloads.route(),
                path(PathMatchers.segment("ws").slash("agent"), this::agentSocket),
                path(PathMatchers.segment("ws").slash("ui"), live::socket),
                pathPrefix("api", () -> handleRejections(jsonRejections(), () -> session.sameOrigin(
                        guarded(session, concat(auth.publicRoute(), status.publicRoute(), openApi.publicRoute(),
                                complete(ErrorResponses.of(Problem.notFound("no such API resource")))), user -> concat(
                                auth.route(user),
                                exports.route(),
                                users.route(user),
                                tokens.route(user),
                                services.route(user),
                                backups.route(user),
                                nagios.route(),
                                checks.route(user),
                                maintenance.route(user),
                                status.route(user),
                                servers.route(user),
                                alertRules.route(user),
                                alerts.route(user),
                                channels.route(user),
                                enrollment.route(user),
                                sshInstalls.route(user),
                                cluster.route(user),
                                settings.route(user),
                                node.info(),
                                complete(ErrorResponses.of(Problem.notFound("no such API resource")))))))),
                ui.route())));
    }

    /**
     * The access check of every API request, from {@link ApiEndpoints}: a request the table does not list is
     * answered 404 (405 for a listed path with another method) without reaching a route; a public endpoint goes
     * to {@code open}; any other needs a login or API token, and an admin endpoint the admin role.
     */
    private Route guarded(ApiDirectives session, Route open, Function<UserStore.User, Route> protectedRoutes) {
        return extractRequest(request -> {
            List<String> segments = new ArrayList<>();
            request.getUri().pathSegments().forEach(segments::add);
            ApiEndpoints.Match match = ApiEndpoints.match(request.method().name(), segments);
            if (match instanceof ApiEndpoints.Match.WrongMethod wrong) {
                return complete(ErrorResponses.rejection(StatusCodes.METHOD_NOT_ALLOWED,
                        "HTTP method not allowed, supported methods: " + String.join(", ", wrong.allowed())));
            }
            if (!(match instanceof ApiEndpoints.Match.Found found)) {
                return complete(ErrorResponses.of(Problem.notFound("no such API resource")));
            }
            ApiEndpoints.Access access = found.endpoint().access();
            if (access == ApiEndpoints.Access.PUBLIC) {
                return open;
            }
            return session.authenticated(user -> access.allows(user.role())
                    ? protectedRoutes.apply(user)
                    : complete(ErrorResponses.of(Problem.Code.FORBIDDEN, "this action needs the admin role")));
        });
    }

    private Route agentSocket() {
        return extractRequest(request -> extractWebSocketUpgrade(upgrade -> {
            String remote = request.getAttribute(AttributeKeys.remoteAddress)
                    .map(Object::toString).orElse("unknown");
            return complete(upgrade.handleMessagesWith(context.agentEndpoint().connectionFlow(remote)));
        }));
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder().matchAny(this::failure).build();
    }

    /** Every failure of a route is one JSON error; the table is {@link ErrorResponses}. */
    private Route failure(Throwable thrown) {
        return complete(ErrorResponses.of(thrown));
    }

    /** Rejections under /api answer JSON too, so clients parse one error shape. */
    private RejectionHandler jsonRejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity().getContentType().mediaType().toString().equals("application/json")) {
                return response;
            }
            String text = response.entity() instanceof HttpEntity.Strict strict
                    ? strict.getData().utf8String() : response.status().reason();
            return ErrorResponses.rejection(response.status(), text);
        });
    }

    /** Exposes the shared directives to the root route. */
    private static final class ApiSession extends ApiDirectives {
        ApiSession(ApiContext context) {
            super(context);
        }
    }

}
