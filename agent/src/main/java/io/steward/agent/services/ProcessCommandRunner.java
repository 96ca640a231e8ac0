package io.steward.agent.services;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@link CommandRunner}: a child process with its output captured (at most 1 MiB each) and a deadline. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final int MAX_OUTPUT = 1 << 20;

    @Override
    public Output run(List<String> argv, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null"))).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = drain(process.getInputStream(), out);
        Thread errReader = drain(process.getErrorStream(), err);
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
            // A daemon started by the command may keep our pipes open: read what is there, not until they close.
            outReader.join(500);
            errReader.join(500);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Output(finished ? process.exitValue() : -1, text(out), text(err), !finished);
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (sink) {
                        if (sink.size() < MAX_OUTPUT) {
                            sink.write(buffer, 0, Math.min(read, MAX_OUTPUT - sink.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended or was killed; keep what was read
            }
        }, "steward-command-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String text(ByteArrayOutputStream sink) {
        synchronized (sink) {
            return sink.toString(StandardCharsets.UTF_8);
        }
    }
}
