package io.steward.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's logging, set up in code (found by logback through {@code META-INF/services}): a {@code logback.xml}
 * makes logback load its XML configurator, its configuration model and the JDK's XML parser (~400 classes) for these
 * few settings. Console lines go through a queue ({@link ConsoleQueue}) so that no log call waits for the console.
 *
 * <p>An operator's own file still wins: with {@code -Dlogback.configurationFile=FILE} naming one that exists, or a
 * {@code logback.xml} on the classpath, this steps aside and logback reads the file as usual. A name that does not
 * resolve keeps these settings, with a warning (logback alone would fall back to DEBUG for everything).
 */
public final class NodeLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";
    static final String FILE_PROPERTY = "logback.configurationFile";
    /** The root logger's appender: the console's queue ({@link ConsoleQueue}), and the console behind it. */
    static final String QUEUE = "STDOUT";
    static final String CONSOLE = "CONSOLE";
    /** Libraries that say too much at INFO for an operator's console. */
    static final Map<String, Level> QUIETER = Map.of(
            "com.zaxxer.hikari", Level.WARN,
            "slick", Level.WARN,
            "org.apache.pekko.cluster", Level.WARN,
            "org.apache.pekko.remote", Level.WARN,
            "org.apache.pekko.actor.CoordinatedShutdown", Level.WARN,
            "oshi", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String named = System.getProperty(FILE_PROPERTY);
        if (named != null ? resolves(named) : resource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        applyTo(context);
        if (named != null) {
            context.getLogger(NodeLogging.class).warn("{}={} names no file, URL or classpath resource; logging with"
                    + " the node's own settings", FILE_PROPERTY, named);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether logback will find {@code name} as it looks it up: a URL, a classpath resource, a file. */
    static boolean resolves(String name) {
        try {
            URL url = new URL(name);
            return !"file".equals(url.getProtocol()) || Files.isRegularFile(Path.of(url.toURI()));
        } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e) {
            // Not a URL: a resource or a file name.
        }
        if (resource(name) != null) {
            return true;
        }
        try {
            return Files.isRegularFile(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static URL resource(String name) {
        return NodeLogging.class.getClassLoader().getResource(name);
    }

    /** The node's console logging: INFO and up, one line per event, libraries that chatter at WARN. */
    static void applyTo(LoggerContext context) {
        applyTo(context, new ConsoleAppender<>());
    }

    /** The same, writing through {@code console}; the test gives one whose stream it controls. */
    static void applyTo(LoggerContext context, OutputStreamAppender<ILoggingEvent> console) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setEncoder(encoder);
        console.start();
        ConsoleQueue queue = new ConsoleQueue(context, console);
        queue.setName(QUEUE);
        queue.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(queue);
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    /**
     * Writes out what logging still holds, before the process exits: stops logback, whose queued appenders (the
     * node's {@link ConsoleQueue}, or an operator's own) get up to a second each to drain (a console that does not
     * read keeps the rest). Nothing is logged after this.
     */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            flushContext(context);
        }
    }

    static void flushContext(LoggerContext context) {
        context.stop();
    }
}
