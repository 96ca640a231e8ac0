package io.steward.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Run in a fresh JVM limited to 2 CPUs: the pool's parallelism is fixed when it first loads. */
class CommonPoolTest {

    @Test
    void onATwoCpuMachineAsyncStepsRunOnThePoolInsteadOfANewThreadEach() throws Exception {
        assertThat(childSays()).isEqualTo("parallelism 2, async steps on ForkJoinPool.commonPool-worker-");
    }

    @Test
    void anOperatorsOwnSettingIsKept() throws Exception {
        assertThat(childSays("-D" + CommonPool.PARALLELISM + "=1"))
                .as("parallelism 1 again: the JDK's thread per task").startsWith("parallelism 1, async steps on Thread-");
    }

    /** What {@link Child} prints when started with 2 CPUs and {@code flags}. */
    private static String childSays(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:ActiveProcessorCount=2"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    public static final class Child {
        public static void main(String[] args) throws Exception {
            CommonPool.atLeast(2);
            String thread = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get();
            System.out.println("parallelism " + ForkJoinPool.getCommonPoolParallelism() + ", async steps on "
                    + thread.replaceAll("-\\d+$", "-"));
        }
    }
}
