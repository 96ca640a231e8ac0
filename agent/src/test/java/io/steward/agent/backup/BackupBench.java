package io.steward.agent.backup;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.steward.agent.backup.rsync.RemoteShell;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.Retention;
import io.steward.core.backup.SnapshotName;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.SshServer;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Steward's backup runner against plain rsync run by hand, on the same data, the same sshd (the test fixture on
 * loopback) and the same ssh options: (a) a first, full backup and (b) an incremental one after 1 % of the files
 * changed. Each is timed (wall) and its CPU counted (user + system) over the whole tree that did the work: this
 * JVM's own threads (the agent is long-running: no start-up), the programs it started (rsync and its ssh, reaped
 * into this JVM's children times) and the destination's side (sshd's sessions, rrsync, rsync: reaped into the
 * sshd's children times). A third column runs rsync by hand with Steward's data options, to tell the cost of
 * those options from the cost of Steward's own steps.
 *
 * <pre>java -cp … io.steward.agent.backup.BackupBench WORK_DIR [FILES=10000] [TOTAL_MIB=1024] [RUNS=3]</pre>
 */
public final class BackupBench {
    private static final long CLOCK_TICKS = 100; // getconf CLK_TCK on Linux
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final Retention KEEP_ALL = new Retention(100, 0, 0, 0);

    private final Path work;
    private final Path source;
    private final SshServer sshd;
    private final Map<String, CompletableFuture<AgentMessage.BackupRunResult>> results = new ConcurrentHashMap<>();
    private final Map<String, List<String>> phases = new ConcurrentHashMap<>();

    private BackupBench(Path work, Path source, SshServer sshd) {
        this.work = work;
        this.source = source;
        this.sshd = sshd;
    }

    /** CPU seconds (user + system) of a process and of its reaped children, from /proc. */
    private record Cpu(double self, double children) {
        static Cpu of(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14..17 of proc(5) (utime stime cutime cstime) are 11..14 here.
            return new Cpu((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS,
                    (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / (double) CLOCK_TICKS);
        }
    }

    /** One measured backup. */
    private record Measure(String what, double wallSeconds, double jvmCpu, double clientCpu, double serverCpu,
            String detail) {
        double cpu() {
            return jvmCpu + clientCpu + serverCpu;
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long totalBytes = (args.length > 2 ? Long.parseLong(args[2]) : 1024) << 20;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Files.createDirectories(work);
        Path source = work.resolve("source/data");
        System.out.printf(Locale.ROOT, "{\"files\":%d,\"bytes\":%d,\"runs\":%d,\"rsync\":\"%s\"}%n", files,
                totalBytes, runs, version());
        makeSource(source, files, totalBytes);
        try (SshServer sshd = SshServer.start(work.resolve("sshd"))) {
            BackupBench bench = new BackupBench(work, source, sshd);
            bench.warmUp();
            List<List<Measure>> all = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                all.add(bench.round(run, files));
            }
            bench.summary(all);
        }
    }

    /** FILES files of random bytes in 100 directories, TOTAL bytes in all. */
    private static void makeSource(Path source, int files, long totalBytes) throws IOException {
        Random random = new Random(42);
        byte[] content = new byte[(int) (totalBytes / files)];
        for (int i = 0; i < files; i++) {
            Path file = source.resolve(String.format("d%03d/f%05d.bin", i % 100, i));
            Files.createDirectories(file.getParent());
            random.nextBytes(content);
            Files.write(file, content);
        }
    }

    /** Changes 1 % of the files: their first 4 KiB and their modification time. */
    private void changeOnePercent(int files, int round) throws IOException {
        Random random = new Random(round);
        byte[] block = new byte[4096];
        for (int i = 0; i < files; i += 100) {
            Path file = source.resolve(String.format("d%03d/f%05d.bin", i % 100, i));
            random.nextBytes(block);
            try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(block), 0);
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(round)));
        }
    }

    /**
     * Small backups first (2,000 files, about 10,000 progress lines), so that the JIT has compiled Steward's code
     * before it is measured: the agent is long-running.
     */
    private void warmUp() throws Exception {
        Path small = work.resolve("warmup/data");
        makeSource(small, 2_000, 4 << 20);
        EnabledBackups agent = agent("warmup");
        for (int i = 0; i < 5; i++) {
            steward(agent, "warmup", List.of(small), "warmup-" + i, Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(i));
        }
        agent.close();
    }

    private List<Measure> round(int round, int files) throws Exception {
        String name = "round-" + round;
        EnabledBackups agent = agent(name);
        Path plainKey = key(name);
        Path optionsKey = key(name + "-options");
        Instant at = Instant.parse("2026-12-01T00:00:00Z").plusSeconds(3600L * round);
        List<Measure> measures = new ArrayList<>();
        // (a) full: into empty destinations. The order alternates between rounds (page cache, write-back).
        List<Runnable> full = new ArrayList<>(List.of(
                unchecked(() -> measures.add(steward(agent, name, List.of(source), name + "-full", at))),
                unchecked(() -> measures.add(byHand("plain rsync -a", plainKey, name + "-plain", plain("full",
                        null)))),
                unchecked(() -> measures.add(byHand("rsync by hand, Steward's options", optionsKey,
                        name + "-options", withOptions(at, null))))));
        if (round % 2 == 0) {
            Collections.reverse(full);
        }
        full.forEach(Runnable::run);
        changeOnePercent(files, round);
        List<Runnable> incremental = new ArrayList<>(List.of(
                unchecked(() -> measures.add(steward(agent, name, List.of(source), name + "-incremental",
                        at.plusSeconds(60)))),
                unchecked(() -> measures.add(byHand("plain rsync -a", plainKey, name + "-plain", plain("incremental",
                        "full")))),
                unchecked(() -> measures.add(byHand("rsync by hand, Steward's options", optionsKey,
                        name + "-options", withOptions(at.plusSeconds(60), SnapshotName.of(at)))))));
        if (round % 2 == 0) {
            Collections.reverse(incremental);
        }
        incremental.forEach(Runnable::run);
        agent.close();
        for (Measure measure : measures) {
            System.out.printf(Locale.ROOT, "{\"round\":%d,\"case\":\"%s\",\"wallSeconds\":%.2f,\"cpuSeconds\":%.2f,"
                            + "\"jvm\":%.2f,\"client\":%.2f,\"destination\":%.2f,\"detail\":\"%s\"}%n", round,
                    measure.what(), measure.wallSeconds(), measure.cpu(), measure.jvmCpu(), measure.clientCpu(),
                    measure.serverCpu(), measure.detail());
        }
        return measures;
    }

    private EnabledBackups agent(String name) throws Exception {
        Path destination = Files.createDirectories(work.resolve("destinations/" + name + "-steward"));
        BackupsConfig config = new BackupsConfig(List.of(work.resolve("source").toString(),
                work.resolve("warmup").toString()), List.of(sshd.host()), Programs.DEBIAN);
        EnabledBackups agent = EnabledBackups.start(config, work.resolve("agents/" + name), "bench", "bench",
                message -> {
                    if (message instanceof AgentMessage.BackupRunResult result) {
                        results.computeIfAbsent(result.runId(), id -> new CompletableFuture<>()).complete(result);
                    } else if (message instanceof AgentMessage.BackupProgress progress) {
                        phases.computeIfAbsent(progress.commandId(), id -> new ArrayList<>())
                                .add(System.nanoTime() + " " + progress.phase());
                    }
                }, Clock.systemUTC());
        sshd.authorize(agent.publicKey(), destination);
        return agent;
    }

    private Path key(String name) throws Exception {
        Path key = work.resolve("keys/" + name + "/id_ed25519");
        Files.createDirectories(key.getParent());
        exec(List.of(SshServer.SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        Path destination = Files.createDirectories(work.resolve("destinations/" + name));
        sshd.authorize(Files.readString(Path.of(key + ".pub"), UTF_8), destination);
        return key;
    }

    private Measure steward(EnabledBackups agent, String name, List<Path> sources, String runId, Instant at)
            throws Exception {
        BackupJobSpec job = new BackupJobSpec("bench", sources.stream().map(Path::toString).toList(), List.of(),
                new BackupDestination(sshd.host(), sshd.port(), sshd.user(), "/bench/" + name), null, null);
        sync();
        Cpu jvmBefore = Cpu.of(ProcessHandle.current().pid());
        Cpu sshdBefore = Cpu.of(sshd.pid());
        long start = System.nanoTime();
        CompletableFuture<AgentMessage.BackupRunResult> done =
                results.computeIfAbsent(runId, id -> new CompletableFuture<>());
        agent.handle(new NodeMessage.BackupRun(runId, job, SnapshotName.of(at), sshd.hostKey(), KEEP_ALL, "UTC"));
        AgentMessage.BackupRunResult result = done.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        double wall = (System.nanoTime() - start) / 1e9;
        sessionsEnded();
        Cpu jvmAfter = Cpu.of(ProcessHandle.current().pid());
        Cpu sshdAfter = Cpu.of(sshd.pid());
        if (result.outcome() != BackupOutcome.SUCCEEDED) {
            throw new IllegalStateException("the run failed: " + result);
        }
        return new Measure("steward", wall, jvmAfter.self() - jvmBefore.self(),
                jvmAfter.children() - jvmBefore.children(), sshdAfter.children() - sshdBefore.children(),
                "transferred " + result.stats().filesTransferred() + " files, " + result.stats().bytesTransferred()
                        + " bytes; phases " + phases(runId, start));
    }

    /** How long each phase took, from the progress the runner sent (ms). */
    private String phases(String runId, long start) {
        List<String> changes = phases.getOrDefault(runId, List.of());
        StringBuilder text = new StringBuilder();
        String phase = null;
        long since = start;
        for (String change : changes) {
            long at = Long.parseLong(change.substring(0, change.indexOf(' ')));
            String next = change.substring(change.indexOf(' ') + 1);
            if (!next.equals(phase)) {
                if (phase != null) {
                    text.append(phase).append('=').append((at - since) / 1_000_000).append(' ');
                }
                phase = next;
                since = at;
            }
        }
        return text.append(phase).append("=rest").toString();
    }

    /** Plain {@code rsync -a [--link-dest]} of the source's contents into {@code NAME/}. */
    private List<String> plain(String name, String linkDest) {
        List<String> argv = new ArrayList<>(List.of("-a", "--mkpath"));
        if (linkDest != null) {
            argv.add("--link-dest=/" + linkDest);
        }
        argv.add(source + "/");
        argv.add(name + "/");
        return argv;
    }

    /** rsync by hand with the data options Steward uses, into {@code snapshots/NAME/} like Steward. */
    private List<String> withOptions(Instant at, String linkDest) {
        List<String> argv = new ArrayList<>(List.of("-aHAX", "-M--fake-super", "--numeric-ids", "--mkpath", "-R"));
        if (linkDest != null) {
            argv.add("--link-dest=/snapshots/" + linkDest);
        }
        argv.add(source.toString());
        argv.add("snapshots/" + SnapshotName.of(at) + "/");
        return argv;
    }

    /** rsync run by hand with the same ssh options as Steward's ({@code argv}'s last element is the remote path). */
    private Measure byHand(String what, Path key, String destination, List<String> options) throws Exception {
        Path knownHosts = key.resolveSibling("known_hosts");
        Files.writeString(knownHosts, sshd.hostKey().knownHostsLine(new BackupDestination(sshd.host(), sshd.port(),
                sshd.user(), "/x")) + "\n", UTF_8);
        String rsh = new RemoteShell(Programs.DEBIAN.ssh(), key, knownHosts,
                sshd.port()).command();
        List<String> argv = new ArrayList<>(List.of(Programs.DEBIAN.rsync().toString(), "-e", rsh));
        argv.addAll(options.subList(0, options.size() - 1));
        argv.add(sshd.user() + "@" + sshd.host() + ":" + options.get(options.size() - 1));
        sync();
        Cpu jvmBefore = Cpu.of(ProcessHandle.current().pid());
        Cpu sshdBefore = Cpu.of(sshd.pid());
        long start = System.nanoTime();
        int exit = exec(argv);
        double wall = (System.nanoTime() - start) / 1e9;
        sessionsEnded();
        Cpu jvmAfter = Cpu.of(ProcessHandle.current().pid());
        Cpu sshdAfter = Cpu.of(sshd.pid());
        if (exit != 0) {
            throw new IllegalStateException(what + " into " + destination + " failed: exit " + exit);
        }
        return new Measure(what, wall, jvmAfter.self() - jvmBefore.self(), jvmAfter.children()
                - jvmBefore.children(), sshdAfter.children() - sshdBefore.children(), String.join(" ",
                        options));
    }

    /** Waits until the destination's side of every connection has ended and been reaped into the sshd's times. */
    private void sessionsEnded() {
        ProcessHandle daemon = ProcessHandle.of(sshd.pid()).orElseThrow();
        Eventually.eventually(Duration.ofSeconds(30), () -> {
            if (daemon.children().findAny().isPresent()) {
                throw new AssertionError("sessions still running");
            }
        });
    }

    /** Writes back dirty pages before each measure, so no run pays for the previous one's writes. */
    private static void sync() throws Exception {
        exec(List.of("/bin/sync"));
    }

    private static int exec(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return process.waitFor();
    }

    private static String version() throws IOException {
        Process process = new ProcessBuilder(Programs.DEBIAN.rsync().toString(), "--version").start();
        return new String(process.getInputStream().readAllBytes(), UTF_8).lines().findFirst().orElse("").strip();
    }

    private void summary(List<List<Measure>> rounds) {
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-34s %-12s %12s %12s", "median of " + rounds.size()
                + " rounds", "backup", "wall s", "CPU s"));
        for (String kind : List.of("full", "incremental")) {
            int offset = kind.equals("full") ? 0 : 3;
            Map<String, double[]> medians = new LinkedHashMap<>();
            for (String what : List.of("steward", "plain rsync -a", "rsync by hand, Steward's options")) {
                List<Measure> same = new ArrayList<>();
                for (List<Measure> round : rounds) {
                    round.subList(offset, offset + 3).stream().filter(measure -> measure.what().equals(what))
                            .forEach(same::add);
                }
                double wall = median(same.stream().map(Measure::wallSeconds).toList());
                double cpu = median(same.stream().map(Measure::cpu).toList());
                medians.put(what, new double[] {wall, cpu});
                System.out.println(String.format(Locale.ROOT, "%-34s %-12s %12.2f %12.2f", what, kind, wall, cpu));
            }
            double[] steward = medians.get("steward");
            for (String base : List.of("plain rsync -a", "rsync by hand, Steward's options")) {
                double[] against = medians.get(base);
                System.out.println(String.format(Locale.ROOT, "  Steward's overhead over %-32s wall %+6.1f %%, "
                        + "CPU %+6.1f %%", base + ":", 100 * (steward[0] / against[0] - 1),
                        100 * (steward[1] / against[1] - 1)));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static Runnable unchecked(Step step) {
        return () -> {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
