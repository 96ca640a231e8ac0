package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/start.sh's JVM flags (the README's first command) are not run by any other test. A flag the JVM refuses would
 * stop the node at start, and a method the flags leave to the interpreter that a library upgrade renamed would undo
 * that measure silently ({@code CompileCommand=quiet} hides the JVM's own notice).
 */
class StartScriptFlagsTest {
    private static final Path START = Path.of("../deploy/start.sh");
    // The same reading as deploy/bench/small-node-bench.sh: every flags=( ... ) and flags+=( ... ).
    private static final Pattern FLAGS = Pattern.compile("flags\\+?=\\(([^)]*)\\)");
    private static final Pattern EXCLUDE = Pattern.compile("-XX:CompileCommand=exclude,([\\w.$]+)::(\\w+)");

    @Test
    void theJvmAcceptsEveryFlag() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("unrecognized");
    }

    @Test
    void everyMethodLeftToTheInterpreterStillExists() throws Exception {
        List<String> excluded = flags().stream().filter(flag -> flag.startsWith("-XX:CompileCommand=exclude,")).toList();
        assertThat(excluded).as("start.sh leaves Pekko's FaultHandling.finishTerminate to the interpreter").isNotEmpty();
        for (String flag : excluded) {
            Matcher exclude = EXCLUDE.matcher(flag);
            assertThat(exclude.matches()).as(flag).isTrue();
            Class<?> type = Class.forName(exclude.group(1), false, getClass().getClassLoader());
            assertThat(Arrays.stream(type.getDeclaredMethods()).map(Method::getName))
                    .as(flag + ": the method is gone, and with it the measure (README, the node's JVM flags)")
                    .contains(exclude.group(2));
        }
    }

    private static List<String> flags() throws IOException {
        String script = Files.readString(START);
        List<String> flags = new ArrayList<>();
        Matcher matcher = FLAGS.matcher(script);
        while (matcher.find()) {
            flags.addAll(Arrays.asList(matcher.group(1).trim().split("\\s+")));
        }
        assertThat(flags).as("the flags arrays of " + START).contains("-XX:+UseSerialGC");
        return flags;
    }
}
