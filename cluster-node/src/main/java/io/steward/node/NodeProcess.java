package io.steward.node;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a node process ends: in order, once, whatever asks for it. Ctrl-C and SIGTERM stop the node (its local agent
 * first, then HTTP, then the cluster, the streams and jobs, the actor system, the pools), then shut the embedded
 * database down, print one line and exit 0 (1 if the stop failed; a second signal exits 130 at once). A node whose
 * actor system ends by itself (downed by the cluster) does the same and exits 1, so a supervisor restarts it.
 */
final class NodeProcess {
    private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);

    private final StewardNode node;
    private final PrintStream out;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Completes when the stop is done; a second caller (the actor system ending under the first) waits for it. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean requested;
    private volatile boolean failed;
    private final AtomicBoolean signalled = new AtomicBoolean();

    private NodeProcess(StewardNode node, PrintStream out) {
        this.node = node;
        this.out = out;
    }

    /** Takes over the process's end: signals, the actor system's end, and any other JVM exit. */
    static void own(StewardNode node, PrintStream out) {
        NodeProcess process = new NodeProcess(node, out);
        // Handled here instead of by the JVM's default (shutdown hooks, exit 130/143): the stop runs in order and the
        // process exits 0. sun.misc.Signal is the JDK's supported way to do this (module jdk.unsupported).
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> process.signalled());
        }
        node.system().getWhenTerminated().thenRun(() -> process.exitAfterStop(false));
        // Any other way out of the JVM (System.exit elsewhere, SIGHUP) still stops in order.
        Runtime.getRuntime().addShutdownHook(new Thread(process::stop, "steward-shutdown"));
    }

    /** The first signal stops in order; a second one (an impatient Ctrl-C) ends the process at once. */
    private void signalled() {
        if (!signalled.compareAndSet(false, true)) {
            out.println("Steward node: second signal; exiting without waiting for the stop.");
            out.flush();
            Runtime.getRuntime().halt(130);
        }
        exitAfterStop(true);
    }

    private void exitAfterStop(boolean byRequest) {
        requested |= byRequest;
        Thread stopping = new Thread(() -> {
            stop();
            System.exit(requested && !failed ? 0 : 1);
        }, "steward-stop");
        // Not a daemon, whatever thread asks (the actor system's end is heard on the common pool's daemon workers):
        // the JVM must not end by itself, with status 0, before this thread chose the status.
        stopping.setDaemon(false);
        stopping.start();
    }

    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            stopped.join();
            return;
        }
        try {
            node.close(); // the local agent says goodbye first, in the node's coordinated shutdown
            node.database().shutdownEmbedded();
            out.println(requested ? "Steward node stopped." : "Steward node stopped: its actor system ended.");
            out.flush();
        } catch (RuntimeException e) {
            failed = true;
            log.error("The node did not stop cleanly", e);
        } finally {
            stopped.complete(null);
        }
    }
}
