package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class NodeLoggingTest {

    @Test
    void theNodesConsoleLoggingIsInfoAndUpWithTheChattyLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        NodeLogging.applyTo(context);

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        var console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(console).isNotNull();
        assertThat(console.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(NodeLogging.PATTERN);
        assertThat(context.getLogger("io.steward.node.StewardNode").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.pekko.cluster.sharding.ShardRegion").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.zaxxer.hikari.pool.HikariPool").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.pekko.stream.Materializer").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void anOperatorsOwnFileWins() {
        // This JVM runs with -Dlogback.configurationFile=logback-test.xml (the build's surefire settings).
        assertThat(System.getProperty("logback.configurationFile")).isNotNull();
        LoggerContext context = new LoggerContext();
        NodeLogging configurator = new NodeLogging();
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }
}
