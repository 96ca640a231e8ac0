package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's systemd units — the shipped one and the one the UI hands out — can do what the product offers (root,
 * so {@code systemctl restart} of a configured service is not refused) inside the same sandbox, and systemd accepts
 * every line of them ({@code systemd-analyze verify}, which works without systemd as PID 1; deploy/test.sh installs
 * it).
 */
class AgentUnitTest {
    private static final Path SHIPPED = Path.of("../deploy/systemd/steward-agent.service");
    /** The unit of the self-contained bundle (install.sh and the .deb install it). */
    private static final Path BUNDLED = Path.of("../deploy/bundle/steward-agent.service");
    private static final String BUNDLED_LAUNCHER = "/opt/steward-agent/bin/steward-agent";

    @TempDir
    Path directory;

    /** The [Service] section as key → values (a key may repeat). */
    private static Map<String, List<String>> service(String unit) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        boolean inService = false;
        String pending = "";
        for (String raw : unit.split("\n")) {
            String line = pending + raw.strip();
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            pending = "";
            if (line.startsWith("[")) {
                inService = line.equals("[Service]");
            } else if (inService && !line.isEmpty() && !line.startsWith("#")) {
                int equals = line.indexOf('=');
                directives.computeIfAbsent(line.substring(0, equals), key -> new ArrayList<>())
                        .add(line.substring(equals + 1));
            }
        }
        return directives;
    }

    private static void assertCanRestartServicesInsideTheSandbox(Map<String, List<String>> service) {
        assertThat(service).doesNotContainKey("DynamicUser");
        assertThat(service.get("User")).containsExactly("root");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("CapabilityBoundingSet").get(0).split(" "))
                .doesNotContain("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE");
        for (String line : AgentUnit.SANDBOX.strip().split("\n")) {
            int equals = line.indexOf('=');
            assertThat(service.get(line.substring(0, equals))).as(line).containsExactly(line.substring(equals + 1));
        }
    }

    @Test
    void theShippedUnitRunsAsRootInTheSandbox() throws IOException {
        assertCanRestartServicesInsideTheSandbox(service(Files.readString(SHIPPED)));
    }

    @Test
    void theBundledUnitRunsTheBundledLauncherAsRootInTheSameSandbox() throws IOException {
        Map<String, List<String>> service = service(Files.readString(BUNDLED));
        assertCanRestartServicesInsideTheSandbox(service);
        assertThat(service.get("ExecStart")).singleElement().asString().startsWith(BUNDLED_LAUNCHER + " ")
                .contains("--state-dir /var/lib/steward-agent", "--services /etc/steward/services.json");
        assertThat(service.get("EnvironmentFile")).containsExactly("/etc/steward/agent.env");
    }

    @Test
    void theHandedOutUnitRunsAsRootInTheSameSandbox() {
        String unit = AgentUnit.text("ws://node.example:8080/ws/agent", "stw_enroll_x", "-Xmx16m");
        assertCanRestartServicesInsideTheSandbox(service(unit));
        assertThat(unit).doesNotContain("%s");
    }

    @Test
    void systemdAcceptsEveryLineOfBothUnits() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze),
                "systemd-analyze is not installed (deploy/test.sh installs it)");
        Files.copy(SHIPPED, directory.resolve("steward-agent.service"));
        Files.writeString(directory.resolve("steward-agent-handed-out.service"),
                AgentUnit.text("ws://node.example:8080/ws/agent", "stw_enroll_x", "-Xmx16m"));
        // verify wants ExecStart's program to exist: the bundle's launcher is not installed here, a stand-in is.
        Path launcher = Files.writeString(directory.resolve("steward-agent"), "#!/bin/sh\n");
        launcher.toFile().setExecutable(true);
        Files.writeString(directory.resolve("steward-agent-bundled.service"),
                Files.readString(BUNDLED).replace(BUNDLED_LAUNCHER, launcher.toString()));
        for (String name : List.of("steward-agent.service", "steward-agent-handed-out.service",
                "steward-agent-bundled.service")) {
            Process process = new ProcessBuilder(analyze.toString(), "verify", "--man=no",
                    directory.resolve(name).toString()).redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // verify exits 0 even for unknown or unparsable lines: any output is a finding.
            assertThat(output).as(name).isBlank();
            assertThat(process.exitValue()).isZero();
        }
    }
}
