package io.steward.agent.backup;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The programs backups run, by absolute path: the agent never looks them up in {@code PATH} (which a service
 * manager or an attacker may set) and never runs them through a shell.
 */
public record Programs(Path rsync, Path ssh, Path sshKeyscan, Path sshKeygen) {
    public static final Programs DEBIAN = new Programs(Path.of("/usr/bin/rsync"), Path.of("/usr/bin/ssh"),
            Path.of("/usr/bin/ssh-keyscan"), Path.of("/usr/bin/ssh-keygen"));

    public Programs {
        requireNonNull(rsync, "rsync is null");
        requireNonNull(ssh, "ssh is null");
        requireNonNull(sshKeyscan, "sshKeyscan is null");
        requireNonNull(sshKeygen, "sshKeygen is null");
    }
}
