package io.steward.agent.logging;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The standalone agent's logging: SLF4J through java.util.logging to stderr (the systemd journal takes it) or to a
 * {@link RotatingFileHandler rotating file}. Only {@code AgentMain} sets it up; an agent embedded in a node logs
 * through the node's logging and never touches this.
 *
 * <p>A change is {@link #prepare prepared} first (the new file opened), then {@link Prepared#commit committed}, so a
 * reload whose log file cannot be opened changes nothing.
 */
public final class AgentLogging {
    // java.util.logging holds loggers weakly: a level set on one nobody references could be forgotten.
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger OSHI = Logger.getLogger("oshi");
    private static final Logger LINK = Logger.getLogger("io.steward.agent.link");

    private Handler handler;
    private LogOptions options;

    private AgentLogging() {}

    /**
     * Replaces the JDK's default logging set-up with {@code options}.
     *
     * @throws IOException if the log file cannot be opened (nothing changed then)
     */
    public static AgentLogging install(LogOptions options) throws IOException {
        AgentLogging logging = new AgentLogging();
        Handler first = logging.open(options);
        LogManager.getLogManager().reset();
        // OSHI explains every file it cannot read at info; a warning is what an operator needs.
        OSHI.setLevel(Level.WARNING);
        logging.swap(first, options);
        return logging;
    }

    /** The options in force. */
    public synchronized LogOptions options() {
        return options;
    }

    /** Opens what {@code next} needs; nothing changes before {@link Prepared#commit}. */
    public Prepared prepare(LogOptions next) throws IOException {
        requireNonNull(next, "next is null");
        return new Prepared(this, open(next), next);
    }

    /** Thousands of simulated agents reconnecting would flood the log; the simulation's summary line tells. */
    public void quietLinks() {
        LINK.setLevel(Level.WARNING);
    }

    /** The log file is opened anew even when unchanged: after a SIGHUP it follows a file logrotate moved away. */
    private Handler open(LogOptions next) throws IOException {
        if (next.file() == null) {
            ConsoleHandler console = new ConsoleHandler();
            console.setFormatter(new LineFormatter());
            console.setLevel(Level.ALL);
            return console;
        }
        return RotatingFileHandler.open(next.file(), next.maxBytes(), next.maxFiles());
    }

    private synchronized void swap(Handler next, LogOptions nextOptions) {
        Handler previous = handler;
        ROOT.addHandler(next);
        if (previous != null) {
            ROOT.removeHandler(previous);
            previous.close();
        }
        ROOT.setLevel(nextOptions.level().level());
        handler = next;
        options = nextOptions;
    }

    /** A change ready to take effect: {@link #commit()} it, or {@link #discard()} it (closes what it opened). */
    public static final class Prepared {
        private final AgentLogging logging;
        private final Handler handler;
        private final LogOptions options;

        private Prepared(AgentLogging logging, Handler handler, LogOptions options) {
            this.logging = logging;
            this.handler = handler;
            this.options = options;
        }

        public void commit() {
            logging.swap(handler, options);
        }

        public void discard() {
            if (handler instanceof RotatingFileHandler) {
                handler.close();
            }
        }
    }
}
