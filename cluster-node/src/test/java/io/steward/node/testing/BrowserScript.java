package io.steward.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A browser script of {@code frontend/e2e/} run with the machine's {@code node}: playwright-core driving Debian's
 * headless Chromium against a node of the test's. The script prints {@code STEP name ok} per step and
 * {@code FAIL name: why} on the first failure (exit code non-zero); its output is echoed with {@code [e2e]}.
 */
public final class BrowserScript {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path frontend;
    private final Path script;
    private final String chromium;
    private final Path screenshots;

    private BrowserScript(Path frontend, Path script, String chromium, Path screenshots) {
        this.frontend = frontend;
        this.script = script;
        this.chromium = chromium;
        this.screenshots = screenshots;
    }

    /**
     * {@code frontend/e2e/NAME}, checked to be runnable here; its screenshots go to
     * {@code cluster-node/target/SCREENSHOTS}, emptied of an earlier run's.
     */
    public static BrowserScript of(String name, String screenshots) throws IOException {
        Path frontend = Path.of(System.getProperty("user.dir")).resolveSibling("frontend").toAbsolutePath();
        Path script = frontend.resolve("e2e").resolve(name);
        assertThat(script).as("the e2e script").exists();
        assertThat(frontend.resolve("node_modules/playwright-core")).as("npm ci has run in frontend/").exists();
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium (apt-get install chromium; deploy/test.sh does)").exists();
        Path shots = Files.createDirectories(Path.of("target").resolve(screenshots).toAbsolutePath());
        // An earlier run's screenshots would stand in for ones this run failed to take.
        try (var files = Files.list(shots)) {
            for (Path file : files.filter(file -> file.toString().endsWith(".png")).toList()) {
                Files.delete(file);
            }
        }
        return new BrowserScript(frontend, script, chromium, shots);
    }

    public Path screenshots() {
        return screenshots;
    }

    /**
     * Runs the script against the node on {@code port} as the admin, with {@code environment} added; fails on a
     * non-zero exit or after five minutes. Its whole output.
     */
    public String run(int port, Map<String, String> environment) throws IOException, InterruptedException {
        return run(URI.create("http://127.0.0.1:" + port), environment);
    }

    /** As {@link #run(int, Map)}, against the node at {@code base} (an {@code https://} node's own certificate). */
    public String run(URI base, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .directory(frontend.toFile())
                .redirectErrorStream(true);
        builder.environment().put("STEWARD_URL", base.toString());
        builder.environment().put("STEWARD_USER", "admin");
        builder.environment().put("STEWARD_PASSWORD", TestNodes.ADMIN_PASSWORD);
        builder.environment().put("STEWARD_SCREENSHOTS", screenshots.toString());
        builder.environment().put("CHROMIUM", chromium);
        builder.environment().putAll(environment);
        return run(builder);
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[e2e] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended; whatever was read is in output
            }
        });
        reader.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError("the browser script did not finish within " + TIMEOUT + ":\n" + output);
        }
        reader.join(5_000);
        String text;
        synchronized (output) {
            text = output.toString();
        }
        assertThat(process.exitValue()).as("browser script exit code; its output:\n%s", text).isZero();
        return text;
    }
}
