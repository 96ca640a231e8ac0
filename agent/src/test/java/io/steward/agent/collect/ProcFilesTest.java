package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcFiles reads a file whole, however many read() calls the kernel needs to hand it over. */
class ProcFilesTest {

    @TempDir
    Path directory;

    @Test
    void fileLargerThanTheBufferIsReadWhole() throws IOException {
        byte[] content = sampleText(20 * 1024);
        Path file = Files.write(directory.resolve("big"), content);
        ProcText text = new ProcFiles(4096).read(file.toString());
        assertThat(text.end()).isEqualTo(content.length);
        assertThat(Arrays.equals(text.bytes(), 0, text.end(), content, 0, content.length)).isTrue();
    }

    /**
     * A pipe hands over at most its capacity (64 KiB) per read(), so every read here is short, as a seq_file's
     * page-sized reads are: a reader that took a short read for the end would return only the first chunk.
     */
    @Test
    void shortReadsAreNotTakenForTheEnd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")) || Files.isExecutable(Path.of("/bin/mkfifo")),
                "mkfifo is needed for a source that returns short reads");
        Path pipe = directory.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        byte[] content = sampleText(256 * 1024);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = new FileOutputStream(pipe.toFile())) {
                for (int offset = 0; offset < content.length; offset += 1000) {
                    out.write(content, offset, Math.min(1000, content.length - offset));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        ProcText text = new ProcFiles(1024 * 1024).read(pipe.toString());
        assertThat(text.end()).isEqualTo(content.length);
        assertThat(Arrays.equals(text.bytes(), 0, text.end(), content, 0, content.length)).isTrue();
        writer.get(30, TimeUnit.SECONDS);
    }

    /** A real seq_file: the JVM's own memory map runs to many pages, and ends on a whole line. */
    @Test
    void seqFileFromProcIsReadPastTheFirstPage() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux /proc is needed");
        ProcText text = new ProcFiles(4096).read("/proc/self/smaps");
        assertThat(text.end()).isGreaterThan(4 * 4096);
        assertThat(text.bytes()[text.end() - 1]).isEqualTo((byte) '\n');
    }

    /** Numbered lines of text, so a cut or a repeat shows as a mismatch. */
    private static byte[] sampleText(int size) {
        StringBuilder text = new StringBuilder(size + 32);
        for (int line = 0; text.length() < size; line++) {
            text.append("line ").append(line).append(" of a file larger than one page\n");
        }
        return text.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
