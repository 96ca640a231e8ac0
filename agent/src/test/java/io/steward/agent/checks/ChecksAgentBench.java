package io.steward.agent.checks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import io.steward.agent.testing.FakeNode;
import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub side of {@code deploy/bench/checks-agent-bench.sh}: a {@link FakeNode} (the real protocol over a real
 * WebSocket) that assigns {@code CHECKS} HTTP checks at a 60 s interval, right after every welcome, to the agent
 * that enrolled with {@link #WITH_CHECKS} and an empty list to the one that enrolled with {@link #WITHOUT_CHECKS}
 * (as the node will), and a loopback HTTP server those checks probe. The agents are separate processes started by
 * the script from the agent jar; this process's own CPU is not measured.
 *
 * <p>Writes {@code WORK/hub} (the agents' {@code --hub} address) once, then every second
 * {@code WORK/results}: {@code results up frames requests} received so far from the agent with checks.
 *
 * <pre>java -cp … io.steward.agent.checks.ChecksAgentBench WORK_DIR [CHECKS=1000]</pre>
 */
public final class ChecksAgentBench {
    static final String WITH_CHECKS = "bench-with-checks";
    static final String WITHOUT_CHECKS = "bench-without-checks";
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private ChecksAgentBench() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        AtomicLong requests = new AtomicLong();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.setExecutor(Executors.newFixedThreadPool(8));
        byte[] body = "{\"status\":\"ok\"}".getBytes(UTF_8);
        target.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();

        List<AssignedCheck> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "bench-%05d", i);
            String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/site/" + i + "/health";
            checks.add(new AssignedCheck(id, new CheckDefinition.Http(id, url, null, null, null, null, null, null,
                    null, INTERVAL, null, null, null, null)));
        }
        NodeMessage assignment = new NodeMessage.ChecksAssign(checks);
        NodeMessage nothing = new NodeMessage.ChecksAssign(List.of());
        Set<String> probing = ConcurrentHashMap.newKeySet();
        FakeNode node = FakeNode.start().acceptEnrollmentToken(WITH_CHECKS).acceptEnrollmentToken(WITHOUT_CHECKS)
                .afterWelcome((hello, server) -> {
                    if (hello.token().equals(WITH_CHECKS)) {
                        probing.add(server);
                    }
                    return List.of(probing.contains(server) ? assignment : nothing);
                });
        write(work.resolve("hub"), node.hub().toString());
        System.out.printf(Locale.ROOT, "hub %s, %d HTTP checks every %d s against %s%n", node.hub(), count,
                INTERVAL.toSeconds(), target.getAddress());
        while (true) {
            List<AgentMessage.CheckResults> frames = node.received(AgentMessage.CheckResults.class);
            long results = 0;
            long up = 0;
            for (AgentMessage.CheckResults frame : frames) {
                results += frame.results().size();
                up += frame.results().stream().filter(CheckResult::up).count();
            }
            write(work.resolve("results"), results + " " + up + " " + frames.size() + " " + requests.get());
            Thread.sleep(1000); // a progress file for the script, not synchronisation
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text + "\n", UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
