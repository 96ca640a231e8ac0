package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's recommended JVM flags are written out wherever an agent is started: the command and unit "Add server"
 * hands out (EnrollmentRoutes), the shipped systemd unit, the bundle's launcher, both READMEs and the benchmarks'
 * defaults. A change to one that misses another runs agents with flags nobody measured, so each copy is held to the
 * handed-out list: it must contain it word for word and in order (shell line continuations joined; a flag added
 * around the list is not caught).
 */
class AgentJvmFlagsTest {
    private static final Path ROOT = Path.of("..");

    static List<String> copies() {
        return List.of("deploy/systemd/steward-agent.service", "deploy/bundle/steward-agent", "deploy/bench/lib.sh",
                "README.md", "agent/README.md");
    }

    /** The text with backslash-newline continuations joined and every run of blanks made one space. */
    private static String joined(String text) {
        return text.replaceAll("\\\\\\n", " ").replaceAll("[ \\t]+", " ");
    }

    @ParameterizedTest
    @MethodSource("copies")
    void everyCopyOfTheAgentsFlagsIsTheHandedOutOne(String file) throws IOException {
        assertThat(joined(Files.readString(ROOT.resolve(file))))
                .as("%s carries the flags of EnrollmentRoutes.AGENT_JVM_FLAGS", file)
                .contains(EnrollmentRoutes.AGENT_JVM_FLAGS);
    }
}
