package io.steward.agent.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.steward.agent.trust.TrustedFile;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What this agent lets a node do with backups (a JSON file given with {@code --backups}): read only below
 * {@code allowSources}, send only to {@code allowDestinations}, with these programs. A node can name jobs within
 * these lists; it can never widen them, so a compromised node cannot make the agent copy {@code /etc/shadow} to a
 * host of its choosing.
 *
 * <pre>{@code
 * {"allowSources": ["/srv", "/etc/nginx"],
 *  "allowDestinations": ["backup.example.com", "10.0.0.9:2222", "[fd00::9]:22"],
 *  "rsync": "/usr/bin/rsync", "ssh": "/usr/bin/ssh", "sshKeyscan": "/usr/bin/ssh-keyscan",
 *  "sshKeygen": "/usr/bin/ssh-keygen"}
 * }</pre>
 * An entry {@code host} allows every port of that host; {@code host:port} only that port. The program paths are
 * optional (Debian's by default) and must be absolute executables that only root or the agent's user can change.
 */
public record BackupsConfig(List<String> allowSources, List<String> allowDestinations, Programs programs) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> KEYS =
            Set.of("allowSources", "allowDestinations", "rsync", "ssh", "sshKeyscan", "sshKeygen");

    public BackupsConfig {
        allowSources = List.copyOf(allowSources);
        allowDestinations = List.copyOf(allowDestinations);
    }

    /**
     * Reads and checks {@code file}; the message of the exception names the mistake. The file names the programs the
     * agent (possibly root) runs and what it may read, so it must be one only root or the agent's user can change
     * ({@link TrustedFile}).
     */
    public static BackupsConfig load(Path file) throws IOException {
        JsonNode root = TrustedFile.readJson(file, "it decides what the agent runs and reads", JSON);
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static BackupsConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the top level must be an object with allowSources and "
                    + "allowDestinations");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown key \"" + name + "\" (allowed: allowSources, "
                        + "allowDestinations, rsync, ssh, sshKeyscan, sshKeygen)");
            }
        }
        List<String> sources = new ArrayList<>();
        List<String> texts = strings(root, "allowSources");
        for (int i = 0; i < texts.size(); i++) {
            String source = BackupPaths.absolute("allowSources[" + i + "]", texts.get(i),
                    BackupJobSpec.MAX_SOURCE_PATH);
            if (!sources.contains(source)) {
                sources.add(source);
            }
        }
        List<String> destinations = new ArrayList<>();
        texts = strings(root, "allowDestinations");
        for (int i = 0; i < texts.size(); i++) {
            destinations.add(destination("allowDestinations[" + i + "]", texts.get(i)));
        }
        Programs defaults = Programs.DEBIAN;
        Programs programs = new Programs(program(root, "rsync", defaults.rsync()), program(root, "ssh", defaults.ssh()),
                program(root, "sshKeyscan", defaults.sshKeyscan()), program(root, "sshKeygen", defaults.sshKeygen()));
        return new BackupsConfig(sources, destinations, programs);
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(field + " is required: a list of at least one entry");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty list");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new IllegalArgumentException(field + "[" + i + "] must be text");
            }
            values.add(node.get(i).asText());
        }
        return values;
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}, checked as a destination checks them. */
    private static String destination(String field, String entry) {
        String text = entry.strip();
        String host = text;
        int port = 22;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close != text.length() - 1 && text.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException(field + ": '" + entry + "' is not host, host:port or [v6]:port");
            }
            host = text.substring(1, close);
            portText = close == text.length() - 1 ? null : text.substring(close + 2);
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            portText = text.substring(text.indexOf(':') + 1);
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(field + ": '" + entry + "' has no valid port (1 to 65535)");
            }
        }
        try {
            new BackupDestination(host, port, "steward", "/check");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + entry + "' is not host, host:port or [v6]:port");
        }
        return text;
    }

    private static Path program(JsonNode root, String field, Path fallback) {
        JsonNode node = root.get(field);
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw new IllegalArgumentException(field + " must be the absolute path of the program");
        }
        Path path = node == null || node.isNull() ? fallback : Path.of(node.asText());
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            throw new IllegalArgumentException(field + ": '" + path + "' must be an absolute path without '.' or "
                    + "'..'");
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalArgumentException(field + ": " + path + " is not an executable file (install it, or name"
                    + " its path with \"" + field + "\")");
        }
        try {
            TrustedFile.require(path, "the agent runs it");
        } catch (IOException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
        return path;
    }
}
