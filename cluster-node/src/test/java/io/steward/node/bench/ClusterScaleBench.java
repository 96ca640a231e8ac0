package io.steward.node.bench;

import io.steward.agent.Agent;
import io.steward.node.testing.ClusterRig;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.SimulatedFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a report costs as the cluster grows ({@code deploy/bench/cluster-scale-bench.sh}): the same simulated fleet
 * against 1, 2 and 3 node processes on one PostgreSQL, one after the other in one run. The machine has 2 cores, so
 * not throughput: the nodes' CPU per acknowledged report (all node processes together, from /proc) and the bytes
 * the nodes sent each other per report (TCP sockets on the cluster ports, from {@code ss}), over a window after a
 * warm-up.
 *
 * <p>Arguments: agents (300), interval seconds (2), warm-up seconds (60), window seconds (60).
 */
public final class ClusterScaleBench {
    private static final Pattern BYTES_SENT = Pattern.compile("bytes_sent:(\\d+)");
    private static final Pattern PORTS = Pattern.compile(":(\\d+)\\s+\\S+:(\\d+)");

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        System.out.printf("scale: %d simulated agents every %d s; %d s warm-up, %d s window; %d cores%n", agents,
                interval, warmUp, window, Runtime.getRuntime().availableProcessors());
        for (int size = 1; size <= 3; size++) {
            Path work = Files.createTempDirectory("steward-scale-" + size);
            try (ClusterRig rig = ClusterRig.start("scale-bench-" + size, work, size);
                    SimulatedFleet fleet = SimulatedFleet.start(rig, agents / size, Duration.ofSeconds(interval),
                            work)) {
                fleet.awaitReporting(agents / size * size, Duration.ofMinutes(3));
                Thread.sleep(warmUp * 1000L); // the measured window starts after the JIT and the connection storm
                Set<Integer> clusterPorts = rig.nodes().stream()
                        .map(node -> Integer.parseInt(node.argument("--cluster-port"))).collect(Collectors.toSet());
                double cpuBefore = cpuSeconds(rig.nodes());
                long bytesBefore = clusterBytes(clusterPorts);
                long ackedBefore = acked(fleet);
                Thread.sleep(window * 1000L);
                double cpu = cpuSeconds(rig.nodes()) - cpuBefore;
                long bytes = clusterBytes(clusterPorts) - bytesBefore;
                long reports = acked(fleet) - ackedBefore;
                System.out.printf(Locale.ROOT, "%d node(s): %d reports acknowledged in %d s (%.0f/s); node CPU %.1f s"
                                + " = %.1f %% of a core = %.2f ms per report; between nodes %.0f bytes per report%n",
                        size, reports, window, reports / (double) window, cpu, 100 * cpu / window,
                        1000 * cpu / reports, bytes / (double) reports);
            }
        }
    }

    private static long acked(SimulatedFleet fleet) {
        return fleet.agents().stream().mapToLong(agent -> agent.status().reportsAcked()).sum();
    }

    /** User + system CPU seconds of every node process so far. */
    private static double cpuSeconds(List<NodeJvm> nodes) throws IOException {
        double seconds = 0;
        for (NodeJvm node : nodes) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(node.process().pid()), "stat"),
                    StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ is 100 on Linux
        }
        return seconds;
    }

    /** Bytes sent so far on every TCP socket with a cluster port at either end (each byte counted at its sender). */
    private static long clusterBytes(Set<Integer> clusterPorts) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tinH").redirectErrorStream(true).start();
        String[] lines = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
        ss.waitFor();
        long total = 0;
        boolean ours = false;
        for (String line : lines) {
            Matcher ports = PORTS.matcher(line);
            if (!line.startsWith("\t") && !line.startsWith(" ") && ports.find()) {
                ours = clusterPorts.contains(Integer.parseInt(ports.group(1)))
                        || clusterPorts.contains(Integer.parseInt(ports.group(2)));
                continue;
            }
            Matcher sent = BYTES_SENT.matcher(line);
            if (ours && sent.find()) {
                total += Long.parseLong(sent.group(1));
            }
        }
        return total;
    }
}
