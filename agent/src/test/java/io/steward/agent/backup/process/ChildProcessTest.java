package io.steward.agent.backup.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.backup.BackupFailure;
import io.steward.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs run without a shell in a fixed environment, and a cancellation ends their whole tree. */
class ChildProcessTest {
    @Test
    void outputArrivesLineByLineAndTheEnvironmentIsFixed() throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        ChildProcess process = ChildProcess.start(List.of("/bin/sh", "-c",
                "printf 'one\\rtwo\\nthree'; printf 'err\\r\\n' >&2; env | sort; exit 3"), out::add, err::add);
        assertThat(process.waitFor()).isEqualTo(3);
        // stdout ends lines at \r too (rsync's progress); stderr keeps the \r (ssh's line ends).
        assertThat(out.subList(0, 3)).containsExactly("one", "two", "threeHOME=" + System.getProperty("user.home"));
        assertThat(out).contains("LC_ALL=C", "TZ=UTC", "PATH=/usr/bin:/bin");
        assertThat(err).containsExactly("err\r");
        assertThatThrownBy(() -> ChildProcess.start(List.of("rsync", "--version"), line -> {}, line -> {}))
                .hasMessageContaining("absolute path");
    }

    @Test
    void aCancellationStopsTheProgramAndEverythingItStarted() throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        ChildProcess process = ChildProcess.start(List.of("/bin/sh", "-c", "sleep 60 & echo $!; wait"), out::add,
                line -> {});
        Cancellation cancellation = new Cancellation();
        cancellation.running(process);
        long child = Long.parseLong(Eventually.await(Duration.ofSeconds(10),
                "the child's pid", () -> out.isEmpty() ? null : out.get(0)));

        cancellation.cancel(BackupFailure.TIMED_OUT);
        cancellation.cancel(BackupFailure.INTERRUPTED); // the first reason stays

        process.waitFor();
        Eventually.eventually(Duration.ofSeconds(10),
                () -> assertThat(running(child)).as("sleep, started by the shell").isFalse());
        assertThat(cancellation.reason()).isEqualTo(BackupFailure.TIMED_OUT);
        assertThatThrownBy(cancellation::check).isInstanceOf(Cancellation.CancelledException.class);

        // A program registered after the cancellation is stopped at once.
        ChildProcess late = ChildProcess.start(List.of("/bin/sleep", "60"), line -> {}, line -> {});
        cancellation.running(late);
        assertThat(late.waitFor()).isNotZero();
    }

    /** Whether {@code pid} still runs: an orphan ended but not yet reaped (a zombie) does not. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }
}
