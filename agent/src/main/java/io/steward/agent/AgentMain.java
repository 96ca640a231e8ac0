package io.steward.agent;

import io.steward.agent.collect.MachineCollector;
import io.steward.agent.config.SettingsException;
import io.steward.agent.config.SettingsParser;
import io.steward.agent.logging.AgentLogging;
import io.steward.agent.reload.AgentConfig;
import io.steward.agent.reload.ConfigReloader;
import io.steward.agent.reload.ConfigWatcher;
import io.steward.agent.reload.HangupSignal;
import io.steward.agent.simulate.Simulation;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.runtime.CommonPool;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's command line: parse and validate, then run a real agent (OSHI) or a simulation until SIGTERM.
 *
 * <p>SIGHUP, or a change to the config or services file, reloads them (see {@link ConfigReloader}).
 *
 * <p>Exit codes: 0 stopped normally (SIGTERM included), 1 the node rejected the enrollment token on a first start
 * (nothing will improve without a new token) or the agent could not start, 2 bad options.
 */
public final class AgentMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private static final CountDownLatch STOPPED = new CountDownLatch(1);
    /** The code the JVM ends with after the shutdown hook ran; 0 unless we chose to exit with something else. */
    private static volatile int exitCode = EXIT_OK;

    private AgentMain() {}

    public static void main(String[] args) {
        CommonPool.atLeast(2);
        SettingsParser.Command command;
        try {
            command = SettingsParser.parse(Arrays.asList(args), System.getenv());
        } catch (SettingsException e) {
            System.exit(usageError(e.getMessage(), System.err));
            return;
        }
        if (command instanceof SettingsParser.ShowHelp) {
            System.out.print(SettingsParser.USAGE);
            return;
        }
        if (command instanceof SettingsParser.ShowVersion) {
            System.out.println("steward-agent " + AgentVersion.current());
            return;
        }
        SettingsParser.Run run = (SettingsParser.Run) command;
        AgentSettings settings = run.settings();
        AgentLogging logging;
        try {
            logging = AgentLogging.install(run.logging());
        } catch (IOException e) {
            System.err.println("steward-agent: cannot start: " + e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        if (settings.simulatedAgents() > 0) {
            logging.quietLinks();
        }
        Logger log = LoggerFactory.getLogger(AgentMain.class);
        for (URI hub : settings.hubs()) {
            if (plainTextBeyondLoopback(hub)) {
                log.warn("{} is plain ws://: the credential and every report cross the network unencrypted. Use the "
                        + "wss:// address the node prints (ws:// is meant for loopback and tests).", hub);
            }
        }
        AutoCloseable running;
        CompletableFuture<NodeMessage.Error> rejected = new CompletableFuture<>();
        try {
            if (settings.simulatedAgents() > 0) {
                Simulation simulation = Simulation.start(settings);
                simulation.enrollmentRejected().thenAccept(rejected::complete);
                running = simulation;
            } else {
                Agent agent = Agent.start(settings, MachineCollector.forThisMachine(settings.topProcesses()));
                agent.enrollmentRejected().thenAccept(rejected::complete);
                log.info("Steward agent {} collecting every {} for {}", AgentVersion.current(), agent.interval(),
                        settings.hubs());
                ConfigWatcher reloads = watchForReloads(agent, logging, run.configFile(), List.of(args),
                        System.getenv(), log);
                running = () -> {
                    reloads.close();
                    agent.close();
                };
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Unclean stop: {}", e.toString());
            } finally {
                STOPPED.countDown();
                // SIGTERM is how the agent is stopped: a normal stop, not a failure (the JVM's default would be
                // 143). halt() runs after our own cleanup; no other hook of ours is pending.
                Runtime.getRuntime().halt(exitCode);
            }
        }, "steward-agent-shutdown"));
        rejected.thenAccept(error -> {
            log.error("The node rejected the enrollment token and no credential is saved: {} {}. Create a new "
                    + "enrollment token on the node and start the agent with it.", error.code(), error.message());
            exitCode = EXIT_FAILED;
            new Thread(() -> System.exit(EXIT_FAILED), "steward-agent-exit").start();
        });
        try {
            STOPPED.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reloads on SIGHUP and when the config or services file changes: the same command line and environment read
     * again (flags still win over the file).
     */
    private static ConfigWatcher watchForReloads(Agent agent, AgentLogging logging, Path configFile,
            List<String> args, Map<String, String> environment, Logger log) {
        ConfigReloader reloader = new ConfigReloader(() -> AgentConfig.read(args, environment), agent, logging,
                configFile);
        ConfigWatcher watcher = ConfigWatcher.start(reloader::watchedFiles, reloader::reload,
                ConfigWatcher.DEFAULT_PERIOD);
        switch (HangupSignal.install(() -> watcher.requestReload("SIGHUP"))) {
            case YES -> log.debug("SIGHUP reloads {}", reloader.watchedFiles());
            case IGNORED_BY_PARENT -> log.warn("SIGHUP is ignored in this process (started with nohup?): the config "
                    + "reloads only when {} changes", reloader.watchedFiles());
            case UNAVAILABLE -> log.warn("SIGHUP cannot be handled here (-Xrs?): the config reloads only when {} "
                    + "changes", reloader.watchedFiles());
        }
        return watcher;
    }

    /** A {@code ws://} hub that is not this machine: allowed (the user wrote it), but said out loud. */
    static boolean plainTextBeyondLoopback(URI hub) {
        if (!"ws".equalsIgnoreCase(hub.getScheme())) {
            return false;
        }
        String host = hub.getHost().replaceAll("^\\[|\\]$", "");
        return !(host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    /** Prints a bad-options message and the usage; returns the exit code. */
    static int usageError(String message, PrintStream err) {
        err.println("steward-agent: " + message);
        err.println();
        err.print(SettingsParser.USAGE);
        return EXIT_USAGE;
    }

    /** For tests: what {@code main} would do with {@code args}, up to (not including) starting anything. */
    static int check(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        try {
            SettingsParser.Command command = SettingsParser.parse(Arrays.asList(args), environment);
            if (command instanceof SettingsParser.ShowHelp) {
                out.print(SettingsParser.USAGE);
            }
            return EXIT_OK;
        } catch (SettingsException e) {
            return usageError(e.getMessage(), err);
        }
    }
}
