package io.steward.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data directory ({@code steward.data-dir}: the embedded database, the secret key file, the local agent's
 * state): created owner-only (0700), and tightened to that if an older version left it open to other users.
 */
final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {}

    static Path prepare(Config config) throws IOException {
        Path dir = Path.of(config.getString("steward.data-dir")).toAbsolutePath();
        boolean posix = posix(dir);
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectories(dir);
            }
            log.info("Created the data directory [{}]", dir);
        }
        if (posix) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (!OWNER_ONLY.containsAll(mode)) {
                log.warn("The data directory [{}] was open to other users ({}); restricting it to its owner (0700)",
                        dir, PosixFilePermissions.toString(mode));
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
        }
        return dir;
    }

    /** {@code steward.secret-key-file}, or {@code secret.key} in the data directory. */
    static Path secretKeyFile(Config config, Path dataDir) {
        String configured = config.getString("steward.secret-key-file");
        return configured.isBlank() ? dataDir.resolve("secret.key") : Path.of(configured).toAbsolutePath();
    }

    private static boolean posix(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }
}
