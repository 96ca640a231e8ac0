package io.steward.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The node's logging, set up in code (found by logback through {@code META-INF/services}): a {@code logback.xml}
 * makes logback load its XML configurator, its configuration model and the JDK's XML parser — ~400 classes, ~3 MiB
 * of a small node's memory — for these few settings.
 *
 * <p>An operator's own file still wins: with {@code -Dlogback.configurationFile=FILE}, or a {@code logback.xml} on
 * the classpath, this steps aside and logback reads the file as usual.
 */
public final class NodeLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";
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
        if (operatorFileGiven()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        applyTo(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static boolean operatorFileGiven() {
        return System.getProperty("logback.configurationFile") != null
                || NodeLogging.class.getClassLoader().getResource("logback.xml") != null;
    }

    /** The node's console logging: INFO and up, one line per event, libraries that chatter at WARN. */
    static void applyTo(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
