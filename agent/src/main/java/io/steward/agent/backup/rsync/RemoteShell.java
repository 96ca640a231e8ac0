package io.steward.agent.backup.rsync;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ssh command rsync runs to reach a destination ({@code rsync -e}): no user or system ssh config, only the
 * agent's own key, the job's pinned host key and nothing else (no prompt, no learning or updating host keys), and
 * dead connections noticed within a minute.
 *
 * @param knownHosts a file holding exactly the pinned key's known_hosts line
 */
public record RemoteShell(Path ssh, Path identity, Path knownHosts, int port) {
    public RemoteShell {
        requireNonNull(ssh, "ssh is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(knownHosts, "knownHosts is null");
        for (Path path : List.of(ssh, identity, knownHosts)) {
            if (!path.isAbsolute() || path.toString().indexOf('"') >= 0 || path.toString().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("ssh paths must be absolute, without '\"': " + path);
            }
        }
    }

    /** The command as arguments. */
    public List<String> argv() {
        return List.of(ssh.toString(), "-F", "/dev/null", "-i", identity.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                // ssh splits this value on white space itself (a list of files): a path with a space is quoted.
                "-o", "UserKnownHostsFile=" + sshQuoted(knownHosts.toString()),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "UpdateHostKeys=no",
                "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
                "-p", Integer.toString(port));
    }

    /**
     * The command as one {@code -e} string. rsync splits it itself, without a shell: on spaces only, with
     * {@code '…'} and {@code "…"} grouping and a doubled quote inside standing for one; a backslash is literal.
     */
    public String command() {
        return argv().stream().map(RemoteShell::rsyncQuoted).collect(Collectors.joining(" "));
    }

    /** A token as rsync's {@code -e} splitting reads it back unchanged. */
    static String rsyncQuoted(String token) {
        if (!token.isEmpty() && token.indexOf(' ') < 0 && token.indexOf('\'') < 0 && token.indexOf('"') < 0) {
            return token;
        }
        return "'" + token.replace("'", "''") + "'";
    }

    private static String sshQuoted(String path) {
        return path.chars().anyMatch(Character::isWhitespace) ? "\"" + path + "\"" : path;
    }
}
