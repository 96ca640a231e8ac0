package io.steward.node.install;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One SSH install as it goes: its step, its log (secrets replaced before a line is kept), and how it ended. Written
 * by the install's thread, read by the API; the log keeps the first {@link #MAX_LINES} lines and
 * {@link #MAX_CHARS} characters (a host that floods its output cannot fill the node's memory). The secrets it hides
 * are forgotten once the install ends: the node keeps finished installs for the API, not their passwords.
 */
public final class InstallJob {
    static final int MAX_LINES = 5000;
    static final int MAX_CHARS = 1024 * 1024;
    private static final String HIDDEN = "********";

    public enum State {
        RUNNING,
        SUCCEEDED,
        FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the API shows: {@code lines} from {@code from} on (the browser asks for what it has not seen). */
    public record View(String id, String host, int port, String user, State state, InstallStep step,
            @Nullable String error, @Nullable String serverId, Instant startedAt, @Nullable Instant finishedAt,
            int from, List<String> lines) {}

    private final String id;
    private final SshTarget target;
    private final Instant startedAt;
    private List<String> secrets;
    private final List<String> lines = new ArrayList<>();
    private int chars;
    private boolean truncated;
    private State state = State.RUNNING;
    private InstallStep step = InstallStep.CONNECT;
    private @Nullable String error;
    private @Nullable String serverId;
    private @Nullable Instant finishedAt;

    InstallJob(String id, SshTarget target, Instant startedAt, List<String> secrets) {
        this.id = requireNonNull(id, "id is null");
        this.target = requireNonNull(target, "target is null");
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
        this.secrets = secrets.stream().filter(secret -> secret != null && !secret.isEmpty()).toList();
    }

    public String id() {
        return id;
    }

    synchronized void step(InstallStep next) {
        step = next;
        log("== " + next.wireName());
    }

    synchronized void log(String line) {
        if (truncated) {
            return;
        }
        if (lines.size() < MAX_LINES && chars + line.length() <= MAX_CHARS) {
            lines.add(hide(line));
            chars += line.length();
        } else {
            truncated = true;
            lines.add("… (more output not kept)");
        }
    }

    /** The last line, kept even past the limits; after it the secrets are no longer needed. */
    private void end(String line) {
        lines.add(hide(line));
        secrets = List.of();
    }

    synchronized void succeeded(String server, Instant at) {
        serverId = server;
        step = InstallStep.DONE;
        state = State.SUCCEEDED;
        finishedAt = at;
        end("== done: server " + server + " reports");
    }

    synchronized void failed(InstallStep where, String message, Instant at) {
        step = where;
        error = hide(message);
        state = State.FAILED;
        finishedAt = at;
        end("!! failed at " + where.wireName() + ": " + message);
    }

    private String hide(String text) {
        String shown = text;
        for (String secret : secrets) {
            shown = shown.replace(secret, HIDDEN);
        }
        return shown;
    }

    public synchronized boolean finished() {
        return state != State.RUNNING;
    }

    public synchronized View view(int from) {
        int start = Math.max(0, Math.min(from, lines.size()));
        return new View(id, target.host(), target.port(), target.user(), state, step, error, serverId, startedAt,
                finishedAt, start, List.copyOf(lines.subList(start, lines.size())));
    }
}
