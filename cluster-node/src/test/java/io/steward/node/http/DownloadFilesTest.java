package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code /downloads/{name}} may serve: only regular files listed in the directory, and their checksums. */
class DownloadFilesTest {
    @TempDir
    Path root;
    private Path directory;
    private DownloadFiles files;

    @BeforeEach
    void files() throws IOException {
        directory = Files.createDirectory(root.resolve("downloads"));
        Files.writeString(directory.resolve("bundle.tar.gz"), "bundle bytes");
        Files.writeString(directory.resolve("install.sh"), "#!/bin/sh\n");
        Files.writeString(directory.resolve("built.deb"), "deb");
        Files.writeString(directory.resolve("built.deb.sha256"), "written-by-the-build  built.deb\n");
        Files.writeString(root.resolve("secret.txt"), "outside");
        Files.createDirectory(directory.resolve("sub"));
        Files.writeString(directory.resolve("sub").resolve("inner.txt"), "inner");
        Files.createSymbolicLink(directory.resolve("link.txt"), root.resolve("secret.txt"));
        Files.writeString(directory.resolve(".hidden"), "dot file");
        files = new DownloadFiles(Optional.of(directory));
    }

    @Test
    void servesAFileListedInTheDirectory() {
        assertThat(files.find("bundle.tar.gz")).contains(new DownloadFiles.Stored(directory.resolve("bundle.tar.gz")));
        assertThat(files.find("install.sh")).isPresent();
    }

    @Test
    void servesNothingOutsideTheDirectoryOrNotAPlainListedFile() {
        for (String name : new String[] {"../secret.txt", "..", ".", "sub", "sub/inner.txt", "link.txt", ".hidden",
                "missing.tar.gz", "%2e%2e%2fsecret.txt", "..%2Fsecret.txt", "bundle.tar.gz/..", "", "a\\..\\b",
                "bundle.tar.gz\u0000"}) {
            assertThat(files.find(name)).as(name).isEmpty();
        }
    }

    @Test
    void computesTheChecksumOfAListedFileInSha256sumFormatAndPrefersOneTheBuildWrote() throws Exception {
        String expected = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("bundle bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(files.find("bundle.tar.gz.sha256"))
                .contains(new DownloadFiles.Checksum(expected + "  bundle.tar.gz\n"));
        assertThat(files.find("built.deb.sha256"))
                .contains(new DownloadFiles.Stored(directory.resolve("built.deb.sha256")));
        assertThat(files.find("link.txt.sha256")).as("no checksum of what is not served").isEmpty();
        assertThat(files.find("missing.sha256")).isEmpty();

        Files.writeString(directory.resolve("bundle.tar.gz"), "a new bundle, longer");
        assertThat(files.find("bundle.tar.gz.sha256")).as("recomputed when the file changes").get()
                .isNotEqualTo(new DownloadFiles.Checksum(expected + "  bundle.tar.gz\n"));
    }

    @Test
    void servesNothingWithoutADirectory() {
        DownloadFiles none = new DownloadFiles(Optional.empty());
        assertThat(none.configured()).isFalse();
        assertThat(none.find("install.sh")).isEmpty();
    }
}
