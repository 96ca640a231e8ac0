package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class NodeLoggingTest {

    @Test
    void theNodesConsoleLoggingIsInfoAndUpWithTheChattyLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        NodeLogging.applyTo(context);

        assertNodesSettings(context);
        assertThat(context.getLogger("io.steward.node.StewardNode").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.pekko.stream.Materializer").getEffectiveLevel()).isEqualTo(Level.INFO);
        for (String quieter : new String[] {"com.zaxxer.hikari.pool.HikariPool", "slick.jdbc.JdbcBackend",
                "org.apache.pekko.cluster.sharding.ShardRegion", "org.apache.pekko.remote.artery.Association",
                "org.apache.pekko.actor.CoordinatedShutdown", "oshi.util.FileUtil"}) {
            assertThat(context.getLogger(quieter).getEffectiveLevel()).as(quieter).isEqualTo(Level.WARN);
        }
    }

    @Test
    void anOperatorsOwnFileWins(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        for (String named : new String[] {file.toString(), file.toUri().toString(), "logback-test.xml"}) {
            LoggerContext context = new LoggerContext();
            ExecutionStatus status = withFileProperty(named, () -> configure(context));

            assertThat(status).as(named).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        }
    }

    @Test
    void aFileNameThatIsNotThereKeepsTheNodesSettings(@TempDir Path dir) {
        for (String named : new String[] {dir.resolve("missing.xml").toString(), "no-such-resource.xml",
                dir.resolve("missing.xml").toUri().toString()}) {
            LoggerContext context = new LoggerContext();
            ExecutionStatus status = withFileProperty(named, () -> configure(context));

            // Not logback's fallback (everything at DEBUG, a wire log of every webhook).
            assertThat(status).as(named).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertNodesSettings(context);
        }
    }

    @Test
    void theNodeShipsNoLogbackXml() {
        // One would silently replace NodeLogging (e.g. a stale target/classes/logback.xml).
        assertThat(NodeLogging.class.getClassLoader().getResource("logback.xml")).isNull();
    }

    private static ExecutionStatus configure(LoggerContext context) {
        NodeLogging configurator = new NodeLogging();
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private static void assertNodesSettings(LoggerContext context) {
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        var console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(console).isNotNull();
        assertThat(console.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(NodeLogging.PATTERN);
    }

    private static <T> T withFileProperty(String value, Supplier<T> action) {
        String before = System.getProperty(NodeLogging.FILE_PROPERTY);
        System.setProperty(NodeLogging.FILE_PROPERTY, value);
        try {
            return action.get();
        } finally {
            if (before == null) {
                System.clearProperty(NodeLogging.FILE_PROPERTY);
            } else {
                System.setProperty(NodeLogging.FILE_PROPERTY, before);
            }
        }
    }
}
