package io.steward.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file: rotated at its size limit, a bounded number kept, created safely. */
class RotatingFileHandlerTest {
    private static final long LIMIT = 64 << 10;

    @TempDir
    Path directory;

    private static void write(RotatingFileHandler handler, int records) {
        for (int number = 0; number < records; number++) {
            handler.publish(new LogRecord(Level.INFO, "record " + number + " " + "x".repeat(200)));
        }
    }

    @Test
    void rotatesBeforeTheLimitAndKeepsTheNumberOfFilesAsked() throws Exception {
        Path file = directory.resolve("logs").resolve("agent.log");
        RotatingFileHandler handler = RotatingFileHandler.open(file, LIMIT, 3);
        try {
            // ~250 bytes a record: 2000 records are ~500 KB, many times the limit.
            write(handler, 2000);
        } finally {
            handler.close();
        }
        try (var listed = Files.list(file.getParent())) {
            assertThat(listed.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("agent.log", "agent.log.1", "agent.log.2");
        }
        for (Path kept : new Path[] {file, RotatingFileHandler.rotated(file, 1), RotatingFileHandler.rotated(file, 2)}) {
            assertThat(Files.size(kept)).isLessThanOrEqualTo(LIMIT);
        }
        assertThat(Files.size(RotatingFileHandler.rotated(file, 1))).isGreaterThan(LIMIT - 300);
        // Newest last: the live file ends with the last record, .1 holds the ones just before it.
        assertThat(Files.readString(file)).contains("record 1999 ").doesNotContain("record 0 ");
        assertThat(Files.readString(RotatingFileHandler.rotated(file, 1))).doesNotContain("record 1999 ");
        assertThat(Files.readString(file)).containsPattern("^\\d{4}-\\d\\d-\\d\\dT[^ ]+ \\[INFO\\]  - record");
    }

    @Test
    void filesAreCreatedReadableByOwnerAndGroupOnlyAndExistingOnesTightened() throws Exception {
        Path file = directory.resolve("new").resolve("agent.log");
        RotatingFileHandler handler = RotatingFileHandler.open(file, LIMIT, 2);
        write(handler, 600);
        handler.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(RotatingFileHandler.rotated(file, 1))))
                .isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwxr-x---");

        Path loose = Files.writeString(directory.resolve("loose.log"), "old line\n");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw-rw-"));
        RotatingFileHandler.open(loose, LIMIT, 2).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loose))).isEqualTo("rw-r-----");
        assertThat(Files.readString(loose)).isEqualTo("old line\n");
    }

    @Test
    void aSymbolicLinkAtTheLogFilesNameIsNeverFollowed() throws IOException {
        Path target = Files.writeString(directory.resolve("precious"), "keep me\n");
        Path link = Files.createSymbolicLink(directory.resolve("agent.log"), target);
        assertThatThrownBy(() -> RotatingFileHandler.open(link, LIMIT, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open the log file " + link);
        assertThat(Files.readString(target)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void withOneFileTheLiveFileStartsAgain() throws Exception {
        Path file = directory.resolve("agent.log");
        RotatingFileHandler handler = RotatingFileHandler.open(file, LIMIT, 1);
        write(handler, 1000);
        handler.close();
        try (var listed = Files.list(directory)) {
            assertThat(listed.map(path -> path.getFileName().toString())).containsExactly("agent.log");
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(LIMIT);
        assertThat(Files.readString(file)).contains("record 999 ");
    }
}
