package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a job's snapshots go: an SSH account on a host and the directory that holds this job's snapshots there. The
 * account's key is restricted to that directory with rrsync, so every remote path the agent names is relative to it.
 *
 * <p>Every part is checked here, on the node and again on the agent: each becomes an argument of {@code ssh} or
 * {@code rsync}, and a host or user beginning with {@code -} would be read as an option.
 */
public record BackupDestination(String host, int port, String user, String path) {
    /** A DNS name, an IPv4 address or an IPv6 address (without brackets); never an option. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]{2,45}");
    /** A POSIX user name, as useradd accepts it. */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    public static final int MAX_PATH = 1024;

    public BackupDestination {
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(path, "path is null");
        if (!HOST.matcher(host).matches() || (host.contains(":") && !host.matches("[0-9A-Fa-f:.]+"))) {
            throw new IllegalArgumentException("destination.host: '" + clip(host)
                    + "' is not a host name or an IP address");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("destination.port must be from 1 to 65535, was " + port);
        }
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("destination.user: '" + clip(user)
                    + "' is not a user name (lower-case letters, digits, '_', '.', '-'; at most 32)");
        }
        path = BackupPaths.absolute("destination.path", path, MAX_PATH);
        if (path.equals("/")) {
            throw new IllegalArgumentException("destination.path: '/' is not a backup directory");
        }
    }

    /** {@code host} for port 22, else {@code host:port}: as an agent's allow-list and a known_hosts file name it. */
    public String address() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return port == 22 ? host.toLowerCase(Locale.ROOT) : shown.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /**
     * Whether an agent's {@code allowDestinations} lets it send here: an entry {@code host} allows every port of the
     * host, an entry {@code host:port} (or {@code [v6]:port}) that port only. Names compare without case.
     */
    public boolean allowedBy(List<String> allowDestinations) {
        String lowerHost = host.toLowerCase(Locale.ROOT);
        for (String entry : allowDestinations) {
            String allowed = entry.strip().toLowerCase(Locale.ROOT);
            if (allowed.equals(lowerHost) || allowed.equals("[" + lowerHost + "]")
                    || allowed.equals(lowerHost + ":" + port) || allowed.equals("[" + lowerHost + "]:" + port)) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
