package io.steward.agent.services.systemd;

import io.steward.agent.services.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers commands with recorded output, chosen by the program and its first argument ("systemctl show",
 * "journalctl -u"), and remembers every argv it was given. A command with no answer fails the way a missing
 * program does.
 */
final class FakeCommandRunner implements CommandRunner {
    private final Map<String, Output> answers = new HashMap<>();
    private final List<List<String>> calls = new ArrayList<>();
    private final List<Duration> timeouts = new ArrayList<>();

    FakeCommandRunner answer(String programAndFirstArgument, Output output) {
        answers.put(programAndFirstArgument, output);
        return this;
    }

    FakeCommandRunner answer(String programAndFirstArgument, String stdout) {
        return answer(programAndFirstArgument, new Output(0, stdout, "", false));
    }

    @Override
    public Output run(List<String> argv, Duration timeout) throws IOException {
        calls.add(List.copyOf(argv));
        timeouts.add(timeout);
        Output output = answers.get(argv.get(0) + " " + argv.get(1));
        if (output == null) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": error=2, No such file or directory");
        }
        return output;
    }

    List<List<String>> calls() {
        return calls;
    }

    List<Duration> timeouts() {
        return timeouts;
    }
}
