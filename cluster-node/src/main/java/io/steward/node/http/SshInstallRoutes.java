package io.steward.node.http;

import io.steward.node.auth.EnrollmentTokens;
import io.steward.node.auth.UserStore;
import io.steward.node.install.InstallJob;
import io.steward.node.install.SshCredential;
import io.steward.node.install.SshInstaller;
import io.steward.node.install.SshInstalls;
import io.steward.node.install.SshTarget;
import io.steward.node.problem.Problem;
import io.steward.node.server.ServerSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/ssh-installs} (admin): install an agent over SSH. First {@code POST …/host-key} shows the host's key to
 * confirm; then {@code POST /api/ssh-installs} with the confirmed fingerprint and a password or private key (used for
 * this one connection, never stored) starts it; {@code GET …/{id}} and {@code GET …/{id}/events} (server-sent events)
 * follow it line by line.
 */
final class SshInstallRoutes extends ApiDirectives {
    /** A single-use token lives this long: an install that has not enrolled by then is over anyway. */
    private static final Duration TOKEN_TTL = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofMillis(250);

    /** {@code POST /api/ssh-installs/host-key}. */
    public record HostKeyRequest(@Nullable String host, @Nullable Integer port) {}

    /** {@code POST /api/ssh-installs}: {@code fingerprint} is the key the admin confirmed ({@code SHA256:…}). */
    public record SshInstallRequest(@Nullable String host, @Nullable Integer port, @Nullable String user,
            @Nullable String password, @Nullable String privateKey, @Nullable String passphrase,
            @Nullable String fingerprint, @Nullable Boolean acceptChangedKey) {}

    private final SshInstalls installs;
    private final DownloadFiles downloads;

    SshInstallRoutes(ApiContext context) {
        super(context);
        // One registry per node: the HTTP surface is built once, at start.
        this.installs = new SshInstalls(context.database().dataSource(), context.clock());
        this.downloads = new DownloadFiles(context.settings().downloadsDir());
    }

    Route route(UserStore.User user) {
        return pathPrefix("ssh-installs", () -> admin(user, concat(
                pathEndOrSingleSlash(() -> post(() -> optionalHeaderValueByName("Host", host ->
                        jsonBody(SshInstallRequest.class, body -> start(body, host, user))))),
                path("host-key", () -> post(() -> jsonBody(HostKeyRequest.class, this::hostKey))),
                path(PathMatchers.segment().slash("events"), id -> get(() -> events(id))),
                path(PathMatchers.segment(), id -> get(() -> parameterOptional("from", from ->
                        complete(Json.ok(job(id).view(lineNumber(from))))))))));
    }

    private Route hostKey(HostKeyRequest body) {
        SshTarget target = new SshTarget(body.host(), port(body.port()), "probe");
        return onSuccess(blocking(() -> installs.hostKey(target.host(), target.port())),
                key -> complete(Json.ok(key)));
    }

    private Route start(SshInstallRequest body, Optional<String> host, UserStore.User user) {
        SshTarget target = new SshTarget(body.host(), port(body.port()), body.user());
        SshCredential credential = SshCredential.of(body.password(), body.privateKey(), body.passphrase());
        String fingerprint = Fields.optional("fingerprint", body.fingerprint(), 100);
        if (fingerprint == null || !fingerprint.startsWith("SHA256:")) {
            throw Problem.invalid("fingerprint must be the confirmed host key's SHA256:… (POST"
                    + " /api/ssh-installs/host-key shows it)");
        }
        Optional<String> hub = context.address().agentHub(host);
        Optional<String> base = context.address().webBase(host);
        if (hub.isEmpty() || base.isEmpty()) {
            return complete(unknownHost(host));
        }
        if (!base.get().startsWith("https://")) {
            throw Problem.refused("this node serves plain HTTP: install.sh only talks to a node over HTTPS");
        }
        Path script = downloads.find("install.sh").filter(DownloadFiles.Stored.class::isInstance)
                .map(found -> ((DownloadFiles.Stored) found).file())
                .orElseThrow(() -> Problem.refused("this node serves no install.sh (steward.downloads.dir)"));
        AgentEndpoints endpoints = AgentEndpoints.of(context, hub.get());
        return onSuccess(blocking(() -> {
            EnrollmentTokens.EnrollmentToken token = context.credentials().tokens().create(user.username(),
                    TOKEN_TTL, 1);
            SshInstaller.Plan plan = new SshInstaller.Plan(target, credential, fingerprint, script,
                    architecture -> downloads.find("steward-agent-linux-" + architecture + ".tar.gz")
                            .filter(DownloadFiles.Stored.class::isInstance)
                            .map(found -> ((DownloadFiles.Stored) found).file()),
                    InstallCommand.arguments(base.get(), token.token(), endpoints.hubs(), endpoints.pins()));
            SshInstalls.Enrollment enrollment = enrollment(token, user);
            InstallJob job;
            try {
                job = installs.start(plan, enrollment, Boolean.TRUE.equals(body.acceptChangedKey()), user.username());
            } catch (RuntimeException refused) {
                enrollment.abandon(); // refused before it began: its token must not outlive the request
                throw refused;
            }
            context.accounts().audit().record(user.username(), "agent.ssh-install", target.toString(),
                    "host key " + fingerprint + ", install " + job.id());
            return job;
        }), job -> complete(Json.response(StatusCodes.ACCEPTED, job.view(0))));
    }

    private SshInstalls.Enrollment enrollment(EnrollmentTokens.EnrollmentToken token, UserStore.User user) {
        return new SshInstalls.Enrollment() {
            @Override
            public Optional<String> reportingServer(String hostname, Instant since) throws Exception {
                // The server this install's token enrolled; only an agent that kept an earlier identity (a
                // re-enrollment) is found by its host name instead, and then only by a report after the install.
                Optional<String> enrolled = context.credentials().serverEnrolledWith(token.token());
                List<ServerSummary> fleet = context.fleet().summaries().toCompletableFuture()
                        .get(context.settings().askTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
                return fleet.stream()
                        .filter(server -> enrolled.map(server.id()::equals)
                                .orElseGet(() -> server.hostname().equals(hostname)))
                        .filter(server -> server.online() && server.lastSeen() != null
                                && server.lastSeen().isAfter(since))
                        .map(ServerSummary::id).findFirst();
            }

            @Override
            public void abandon() throws Exception {
                context.credentials().tokens().revoke(token.id(), user.username());
            }
        };
    }

    /** Server-sent events: {@code line} per log line, {@code state} at each change (the view without lines), then
     *  {@code end}. */
    private Route events(String id) {
        InstallJob job = job(id);
        Source<ServerSentEvent, NotUsed> events = Source.tick(Duration.ZERO, POLL, "tick")
                .mapMaterializedValue(cancellable -> NotUsed.getInstance())
                .statefulMapConcat(() -> {
                    int[] seen = {0};
                    String[] lastState = {""};
                    boolean[] ended = {false};
                    return tick -> {
                        List<ServerSentEvent> out = new ArrayList<>();
                        if (ended[0]) {
                            return out;
                        }
                        boolean finished = job.finished();
                        InstallJob.View view = job.view(seen[0]);
                        for (String line : view.lines()) {
                            out.add(ServerSentEvent.create(line, "line"));
                        }
                        seen[0] += view.lines().size();
                        InstallJob.View state = new InstallJob.View(view.id(), view.host(), view.port(), view.user(),
                                view.state(), view.step(), view.error(), view.serverId(), view.startedAt(),
                                view.finishedAt(), seen[0], List.of());
                        String stateJson = Json.MAPPER.writeValueAsString(state);
                        if (!stateJson.equals(lastState[0])) {
                            lastState[0] = stateJson;
                            out.add(ServerSentEvent.create(stateJson, "state"));
                        }
                        if (finished) {
                            ended[0] = true;
                            out.add(ServerSentEvent.create("", "end"));
                        }
                        return out;
                    };
                })
                .takeWhile(event -> !event.getEventType().filter("end"::equals).isPresent(), true)
                .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
        return completeOK(events, EventStreamMarshalling.toEventStream());
    }

    private InstallJob job(String id) {
        return installs.job(id).orElseThrow(() -> Problem.notFound("no SSH install " + id + " on this node"));
    }

    private static int port(@Nullable Integer port) {
        return port == null ? 22 : port;
    }

    private static int lineNumber(Optional<String> text) {
        if (text.isEmpty()) {
            return 0;
        }
        try {
            int from = Integer.parseInt(text.get());
            if (from < 0) {
                throw new NumberFormatException();
            }
            return from;
        } catch (NumberFormatException e) {
            throw Problem.invalid("from must be a line number (0 or more)");
        }
    }
}
