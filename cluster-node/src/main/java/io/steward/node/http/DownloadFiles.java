package io.steward.node.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The files a node hands out at {@code /downloads} ({@code steward.downloads.dir}: the agent bundle, its .deb,
 * install.sh). A name is served only when it is a regular file listed in that directory — never a path, a link, a
 * dot file or anything a request spells with {@code ..}. {@code FILE.sha256} is the file in the directory when there
 * is one (the build writes them), else computed here ({@code sha256sum}'s format) and kept while the file is unchanged.
 */
final class DownloadFiles {
    private static final String CHECKSUM_SUFFIX = ".sha256";
    private static final String SAFE_NAME = "[A-Za-z0-9][A-Za-z0-9._~+-]{0,199}";

    /** A file to serve, or a checksum to answer with. */
    sealed interface Found permits Stored, Checksum {}

    record Stored(Path file) implements Found {}

    record Checksum(String text) implements Found {}

    private record Digest(long size, long modified, String hex) {}

    private final Optional<Path> directory;
    private final Map<String, Digest> digests = new ConcurrentHashMap<>();

    /** @param directory the downloads directory; empty when the node serves none */
    DownloadFiles(Optional<Path> directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    boolean configured() {
        return directory.isPresent();
    }

    /** {@code name}'s file or checksum; empty for anything not served (the caller answers 404). Reads the disk. */
    Optional<Found> find(String name) {
        if (directory.isEmpty() || !name.matches(SAFE_NAME) || name.contains("..")) {
            return Optional.empty();
        }
        Optional<Path> listed = listed(name);
        if (listed.isPresent()) {
            return Optional.of(new Stored(listed.get()));
        }
        if (name.endsWith(CHECKSUM_SUFFIX)) {
            String target = name.substring(0, name.length() - CHECKSUM_SUFFIX.length());
            return listed(target).map(file -> new Checksum(digest(file) + "  " + target + "\n"));
        }
        return Optional.empty();
    }

    /** The regular file named {@code name} in the directory's listing (compared by name, not resolved from it). */
    private Optional<Path> listed(String name) {
        try (Stream<Path> entries = Files.list(directory.get())) {
            return entries.filter(entry -> entry.getFileName().toString().equals(name))
                    .filter(entry -> Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory.get(), e);
        }
    }

    private String digest(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String name = file.getFileName().toString();
            Digest known = digests.get(name);
            long modified = attributes.lastModifiedTime().toMillis();
            if (known != null && known.size() == attributes.size() && known.modified() == modified) {
                return known.hex();
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    sha256.update(buffer, 0, read);
                }
            }
            String hex = HexFormat.of().formatHex(sha256.digest());
            digests.put(name, new Digest(attributes.size(), modified, hex));
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
