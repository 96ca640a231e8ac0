package io.steward.agent.services.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code /proc/PID/cmdline} bytes as captured on a Debian 12 host, read as {@code ps -o args} shows them. */
class CommandLineTest {

    private static byte[] bytes(String withNuls) {
        return withNuls.getBytes(UTF_8);
    }

    @Test
    void argumentsAreJoinedBySpacesWithArgvZeroAsStarted() {
        // Started as "mysleep 602" through a symlink mysleep -> /bin/sleep; Java's commandLine() says
        // "/usr/bin/sleep 602" for the same process.
        assertThat(CommandLine.fromProcCmdline(bytes("mysleep\u0000602\u0000"))).contains("mysleep 602");
        assertThat(CommandLine.fromProcCmdline(bytes("python3\u0000/opt/worker/main.py\u0000")))
                .contains("python3 /opt/worker/main.py");
    }

    @Test
    void anEmptyArgumentShowsAsTwoSpacesAndANewlineAsASpaceAsPgrepSeesThem() {
        assertThat(CommandLine.fromProcCmdline(bytes(
                "python3\u0000-c\u0000import time; time.sleep(30)\u0000\u0000two words\u0000")))
                .contains("python3 -c import time; time.sleep(30)  two words");
        assertThat(CommandLine.fromProcCmdline(bytes("python3\u0000-c\u0000pass\u0000line1\nline2\u0000")))
                .contains("python3 -c pass line1 line2");
    }

    @Test
    void aRewrittenTitleLosesItsPaddingAndOneWithoutTerminatorIsKept() {
        assertThat(CommandLine.fromProcCmdline(bytes("npm exec vitest run" + "\u0000".repeat(10))))
                .contains("npm exec vitest run");
        assertThat(CommandLine.fromProcCmdline(bytes("nginx: worker process"))).contains("nginx: worker process");
    }

    @Test
    void kernelThreadsAndZombiesHaveNoCommandLine() {
        assertThat(CommandLine.fromProcCmdline(new byte[0])).isEmpty();
        assertThat(CommandLine.fromProcCmdline(new byte[3])).isEmpty();
    }
}
