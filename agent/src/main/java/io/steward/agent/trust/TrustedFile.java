package io.steward.agent.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A local file whose content decides what the agent (often root) runs: its config files and the programs they
 * name. Only root or the agent's own user may be able to change it, or to swap it for another through its
 * directory; anything else would hand a local user the agent's powers.
 */
public final class TrustedFile {
    private TrustedFile() {
    }

    /**
     * Refuses {@code file} unless it, the file a symbolic link leads to, and the directories holding them belong to
     * root or the agent's user and are writable by their owner only. The message starts with the path, says what is
     * wrong, then {@code why} and the command that fixes it. On a file system without POSIX permissions nothing is
     * checked.
     */
    public static void require(Path file, String why) throws IOException {
        Path given = file.toAbsolutePath();
        Path real = file.toRealPath();
        if (!owned(real)) {
            return; // not a POSIX file system
        }
        check(real, real, why);
        check(real.getParent(), real, why);
        if (!real.equals(given) && given.getParent() != null) {
            check(given.getParent(), given, why);
        }
    }

    /** Config files are small: a larger one is a mistake, not something to read into memory. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    /**
     * {@link #require Checks} {@code file}, then reads it as JSON with {@code json}; the exception's message names the
     * file and what is wrong (untrusted, larger than 1 MiB, not JSON).
     */
    public static JsonNode readJson(Path file, String why, ObjectMapper json) throws IOException {
        require(file, why);
        if (Files.size(file) > MAX_CONFIG_BYTES) {
            throw new IOException(file + " is larger than 1 MiB");
        }
        try {
            return json.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the file system of {@code path} has POSIX owners and permissions. */
    private static boolean owned(Path path) throws IOException {
        try {
            Files.readAttributes(path, PosixFileAttributes.class);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static void check(Path path, Path file, String why) throws IOException {
        if (path == null) {
            return;
        }
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        String subject = path.equals(file) ? file.toString() : path + " (the directory holding " + file + ")";
        String swap = path.equals(file) ? "" : ", so " + file.getFileName() + " could be swapped";
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(subject + " is writable by other users (" + PosixFilePermissions.toString(permissions)
                    + ")" + swap + "; " + why + ": chmod go-w " + path);
        }
        String owner = attributes.owner().getName();
        String agentUser = System.getProperty("user.name");
        if (!owner.equals("root") && !owner.equals(agentUser)) {
            throw new IOException(subject + " belongs to " + owner + ", not to root or the agent's user " + agentUser
                    + swap + "; " + why + ": chown root " + path);
        }
    }
}
