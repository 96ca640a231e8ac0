package io.steward.agent.services;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs one configured program with its arguments — never through a shell — and waits for it, within a timeout.
 * Tests substitute a fake that returns recorded output (systemctl and journalctl cannot run without systemd here).
 */
@FunctionalInterface
public interface CommandRunner {

    Output run(List<String> argv, Duration timeout) throws IOException;

    /** What the program printed (bounded) and how it ended. */
    record Output(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** One line saying how it went, for results and logs. */
        public String summary() {
            if (timedOut) {
                return "timed out";
            }
            String text = (stderr == null || stderr.isBlank() ? stdout : stderr);
            text = text == null ? "" : text.strip();
            if (text.length() > 300) {
                text = text.substring(0, 300) + "…";
            }
            return "exit " + exitCode + (text.isEmpty() ? "" : ": " + text);
        }
    }
}
