package io.steward.agent.services;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.steward.agent.trust.TrustedFile;
import io.steward.core.services.ServiceState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's own list of services (a JSON file given with {@code --services}): the only services it reports as
 * controllable, and the only commands it will ever run for them. The node can name a service; it can never send a
 * command line.
 *
 * <pre>{@code
 * {"systemd": ["nginx", "postgresql"], "discoverSystemd": false,
 *  "processes": [{"name": "worker", "pattern": "worker --serve", "port": 8080,
 *                 "start": ["/opt/worker/bin/worker", "--serve"], "log": "/var/log/worker.log"}]}
 * }</pre>
 */
public record ServicesConfig(List<String> systemd, boolean discoverSystemd, List<Process> processes) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A supervised process: found by its pidfile or by a regular expression over its command line, searched (not
     * anchored unless the pattern says so) in the line {@code ps -o args} and {@code pgrep -f} show: the arguments
     * as started, joined by spaces ({@code python3 /opt/worker/main.py}, not the interpreter's resolved path).
     * Optionally also a TCP port on localhost or an HTTP URL that must answer; started, stopped and restarted by the
     * argv lists configured here (no shell). Without {@code restart}, a restart is stop then start.
     */
    public record Process(String name, String description, Path pidfile, Pattern pattern, Integer port, URI url,
            List<String> start, List<String> stop, List<String> restart, Path log, Duration timeout) {}

    public ServicesConfig {
        systemd = List.copyOf(systemd);
        processes = List.copyOf(processes);
    }

    /**
     * Whether {@code other} lists the same services, found and controlled the same way: what a reload compares
     * ({@link Pattern} has no value equality, so the record's own {@code equals} would see every reload as a change).
     */
    public boolean sameAs(ServicesConfig other) {
        return other != null && systemd.equals(other.systemd) && discoverSystemd == other.discoverSystemd
                && comparable(processes).equals(comparable(other.processes));
    }

    private static List<List<Object>> comparable(List<Process> processes) {
        List<List<Object>> values = new ArrayList<>(processes.size());
        for (Process process : processes) {
            values.add(java.util.Arrays.asList(process.name(), process.description(), process.pidfile(),
                    process.pattern() == null ? null : process.pattern().pattern(), process.port(), process.url(),
                    process.start(), process.stop(), process.restart(), process.log(), process.timeout()));
        }
        return values;
    }

    /**
     * Reads and checks {@code file}. It says which commands the agent (possibly root) runs and which units it
     * restarts, so it must be one only root or the agent's user can change ({@link TrustedFile}).
     */
    public static ServicesConfig load(Path file) throws IOException {
        JsonNode root = TrustedFile.readJson(file, "it decides what the agent runs", JSON);
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static ServicesConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the top level must be an object");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!Set.of("systemd", "discoverSystemd", "processes").contains(field)) {
                throw new IllegalArgumentException("unknown key \"" + field + "\" (systemd, discoverSystemd, processes)");
            }
        }
        Set<String> names = new HashSet<>();
        List<String> units = new ArrayList<>();
        for (JsonNode unit : root.path("systemd")) {
            units.add(name(unit.asText(), "systemd", names));
        }
        List<Process> processes = new ArrayList<>();
        for (JsonNode node : root.path("processes")) {
            String name = name(node.path("name").asText(""), "processes[].name", names);
            String where = "process \"" + name + "\"";
            Path pidfile = node.hasNonNull("pidfile") ? Path.of(node.get("pidfile").asText()) : null;
            Pattern pattern = null;
            if (node.hasNonNull("pattern")) {
                try {
                    pattern = Pattern.compile(node.get("pattern").asText());
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": pattern is not a regular expression: "
                            + e.getDescription());
                }
            }
            if (pidfile == null && pattern == null) {
                throw new IllegalArgumentException(where + " needs a pidfile or a pattern to find it");
            }
            Integer port = null;
            if (node.hasNonNull("port")) {
                int value = node.get("port").asInt(-1);
                if (value < 1 || value > 65535) {
                    throw new IllegalArgumentException(where + ": port must be 1..65535");
                }
                port = value;
            }
            URI url = null;
            if (node.hasNonNull("url")) {
                url = URI.create(node.get("url").asText());
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                    throw new IllegalArgumentException(where + ": url must be http:// or https://");
                }
            }
            int seconds = node.path("timeoutSeconds").asInt(20);
            if (seconds < 1 || seconds > 300) {
                throw new IllegalArgumentException(where + ": timeoutSeconds must be 1..300");
            }
            Duration timeout = Duration.ofSeconds(seconds);
            processes.add(new Process(name, node.path("description").asText(null), pidfile, pattern, port, url,
                    argv(node, "start", where), argv(node, "stop", where), argv(node, "restart", where),
                    node.hasNonNull("log") ? Path.of(node.get("log").asText()) : null, timeout));
        }
        return new ServicesConfig(units, root.path("discoverSystemd").asBoolean(false), processes);
    }

    private static String name(String text, String field, Set<String> seen) {
        if (!ServiceState.NAME.matcher(text).matches()) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not a service name (letters, digits,"
                    + " @ . _ : -)");
        }
        String key = text.endsWith(".service") ? text.substring(0, text.length() - 8) : text;
        if (!seen.add(key)) {
            throw new IllegalArgumentException("service \"" + key + "\" is listed twice");
        }
        return text;
    }

    private static List<String> argv(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + field
                    + " must be a non-empty list: the program and its arguments (no shell)");
        }
        List<String> argv = new ArrayList<>();
        value.forEach(item -> argv.add(item.asText()));
        return List.copyOf(argv);
    }
}
