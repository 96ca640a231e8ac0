package io.steward.node.server;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real freeze: a child JVM running a PauseWatch is stopped with SIGSTOP for 2.5 s and resumed; it then counts a pause
 * of that length since its start and logs it, and nothing since a moment after it.
 */
class PauseWatchTest {

    @Test
    void aProcessStoppedWithSigstopNoticesThePause() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(read failed: " + e + ")");
            }
        });
        reader.start();
        try (PrintStream ask = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            eventually(Duration.ofSeconds(30), () -> assertThat(lines).contains("ready"));

            signal("STOP", child);
            Thread.sleep(2_500); // the freeze's length is what is tested, not a wait for something to happen
            signal("CONT", child);

            eventually(Duration.ofSeconds(30), () -> {
                ask.println("since-start");
                assertThat(pausedAnswers(lines)).as(() -> String.join("\n", lines))
                        .anyMatch(ms -> ms >= 2_000 && ms < 10_000);
            });
            eventually(Duration.ofSeconds(10), () -> assertThat(lines).as("logged for the operator")
                    .anyMatch(l -> l.contains("This process stood still for")));
            eventually(Duration.ofSeconds(10), () -> {
                ask.println("since-now");
                assertThat(lines).as("nothing since the freeze ended").contains("now 0");
            });
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<Long> pausedAnswers(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("paused ")).map(l -> Long.parseLong(l.substring(7))).toList();
    }

    private static void signal(String signal, Process process) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start()
                .waitFor();
        assertThat(exit).as("kill -" + signal).isZero();
    }

    /** The frozen process: answers "since-start" and "since-now" with the longest pause it saw since then. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            Instant start = Instant.now();
            try (PauseWatch watch = PauseWatch.start(Clock.systemUTC(), Duration.ofSeconds(3))) {
                System.out.println("ready");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("since-start")) {
                        System.out.println("paused " + watch.longestSince(start).toMillis());
                    } else if (line.equals("since-now")) {
                        System.out.println("now " + watch.longestSince(Instant.now()).toMillis());
                    }
                }
            }
        }
    }
}
