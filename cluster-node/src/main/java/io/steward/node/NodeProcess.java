package io.steward.node;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a node process ends: in order, once, whatever asks for it. Ctrl-C and SIGTERM stop the node (its local agent
 * first, then HTTP, then the cluster, the streams and jobs, the actor system, the pools), then shut the embedded
 * database down, print one line and exit 0 (1 if the stop failed; a second signal exits 130 at once). A node whose
 * actor system ends by itself (downed by the cluster) does the same and exits 1, so a supervisor restarts it. One whose
 * actor system has not ended {@link #TERMINATION_LIMIT} after its coordinated shutdown reached
 * {@code before-actor-system-terminate} halts with status 1.
 */
final class NodeProcess {
    private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);
    /**
     * How long the actor system may take to end once its coordinated shutdown reached
     * {@code before-actor-system-terminate} (5 s allowed by Pekko's default, then 10 s for {@code
     * actor-system-terminate}). Artery can wait without a deadline for a stalled remoting stream (apache/pekko#3247,
     * bounded only in a later Pekko than ours); a downed node then lived on, still holding its agents' connections and
     * refusing their reports, and no supervisor restarted it (seen in ClusterFreezeIT).
     */
    static final Duration TERMINATION_LIMIT = Duration.ofSeconds(30);
    private static final Duration LAST_LINE_WAIT = Duration.ofSeconds(1);

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
        CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "steward-termination-watchdog", () -> {
                    process.watchTermination();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        // Any other way out of the JVM (System.exit elsewhere, SIGHUP) still stops in order.
        Runtime.getRuntime().addShutdownHook(new Thread(process::stop, "steward-shutdown"));
        // The JVM must never end by itself: main has long returned, and once a downed node's actor system has ended
        // its threads are gone, so the JVM could exit 0 (running the hook above) before steward-stop has started to
        // choose the status; no supervisor restarts a node that exited 0 (ClusterFreezeIT saw it once under load).
        // This thread lives until System.exit or halt ends the process.
        Thread keeper = new Thread(NodeProcess::parkForever, "steward-keeper");
        keeper.setDaemon(false);
        keeper.start();
    }

    private static void parkForever() {
        while (true) {
            LockSupport.park();
            Thread.interrupted(); // an interrupt would otherwise make every park return at once
        }
    }

    /** Halts the process (status 1) unless the actor system ends within {@link #TERMINATION_LIMIT}. */
    private void watchTermination() {
        Thread watchdog = new Thread(() -> {
            try {
                node.system().getWhenTerminated().toCompletableFuture()
                        .get(TERMINATION_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.error("The actor system did not end within {} s of its shutdown; halting for the supervisor to"
                        + " start the node again", TERMINATION_LIMIT.toSeconds());
                NodeLogging.flush();
                lastLine("Steward node stopped: its actor system did not end; halted.");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // Ended (with a failure): the ordinary stop goes on.
            }
        }, "steward-termination-watchdog");
        watchdog.setDaemon(true); // an ended actor system's stop exits as usual, whatever this thread waits for
        watchdog.start();
    }

    /**
     * Prints the process's last line, waiting at most {@link #LAST_LINE_WAIT} for it: a console that does not read
     * (its writer blocked on a full pipe holds the stream's lock) must not keep the process from exiting.
     */
    private void lastLine(String line) {
        Thread printer = new Thread(() -> {
            out.println(line);
            out.flush();
        }, "steward-last-line");
        printer.setDaemon(true);
        printer.start();
        try {
            printer.join(LAST_LINE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first signal stops in order; a second one (an impatient Ctrl-C) ends the process at once. */
    private void signalled() {
        if (!signalled.compareAndSet(false, true)) {
            lastLine("Steward node: second signal; exiting without waiting for the stop.");
            Runtime.getRuntime().halt(130);
        }
        exitAfterStop(true);
    }

    private void exitAfterStop(boolean byRequest) {
        requested |= byRequest;
        Thread stopping = new Thread(() -> {
            boolean clean = false;
            try {
                stop();
                clean = true;
            } finally {
                // Even after an Error in the stop (an OutOfMemoryError is likely in a node downed after GC trouble):
                // the keeper would otherwise keep a dead node's process alive.
                System.exit(requested && !failed && clean ? 0 : 1);
            }
        }, "steward-stop");
        // Not a daemon, whatever thread asks (the actor system's end is heard on the common pool's daemon workers).
        stopping.setDaemon(false);
        stopping.start();
    }

    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            stopped.join();
            return;
        }
        boolean clean = false;
        try {
            node.close(); // the local agent says goodbye first, in the node's coordinated shutdown
            node.database().shutdownEmbedded();
            clean = true;
        } catch (RuntimeException e) {
            failed = true;
            log.error("The node did not stop cleanly", e);
        } finally {
            NodeLogging.flush(); // the stop's log lines before the last line, and before the exit
            if (clean) { // not after a failure, nor an Error on its way out
                lastLine(requested ? "Steward node stopped." : "Steward node stopped: its actor system ended.");
            }
            stopped.complete(null);
        }
    }
}
