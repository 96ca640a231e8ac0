package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.steward.core.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void aLogCallNeverWaitsForAConsoleThatStoppedReading() throws Exception {
        LoggerContext context = contextWithMdc();
        GatedStream stream = new GatedStream();
        NodeLogging.applyTo(context, console(stream));
        Logger log = context.getLogger("io.steward.node.Somewhere");
        int lines = 3 * ConsoleQueue.CAPACITY;

        // The console takes nothing: a synchronous appender would block the first call for good.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < lines; i++) {
                log.info("line {}", i);
            }
        });
        stream.open();
        ConsoleQueue queue = queueOf(context);
        Eventually.eventually(Duration.ofSeconds(30), () -> assertThat(queue.getRemainingCapacity()).isPositive());
        log.info("after");
        queue.setMaxFlushTime(30_000); // a slow machine's writer may need more than the node's second at exit
        NodeLogging.flushContext(context);

        List<String> written = stream.text().lines().toList();
        long kept = written.stream().filter(line -> line.contains(" - line ")).count();
        Matcher notices = Pattern.compile("WARN  .*ConsoleQueue - At least (\\d+) log lines dropped: the console did"
                + " not take them").matcher(String.join("\n", written));
        long dropped = 0;
        while (notices.find()) {
            dropped += Long.parseLong(notices.group(1));
        }
        assertThat(dropped).as("lines dropped, counted in WARN lines").isPositive();
        assertThat(kept).as("the lines queued while the console stalled").isGreaterThanOrEqualTo(ConsoleQueue.CAPACITY);
        assertThat(kept + dropped).as("every line written or counted").isEqualTo(lines);
        assertThat(written).first().asString().endsWith(" - line 0");
        assertThat(written).last().asString().endsWith(" - after");
    }

    @Test
    void whatIsQueuedIsWrittenOutBeforeTheProcessExits() {
        LoggerContext context = contextWithMdc();
        GatedStream stream = new GatedStream();
        stream.open();
        NodeLogging.applyTo(context, console(stream));
        Logger log = context.getLogger("io.steward.node.Somewhere");
        for (int i = 0; i < 1000; i++) {
            log.info("line {}", i);
        }
        queueOf(context).setMaxFlushTime(30_000); // as above

        NodeLogging.flushContext(context);

        assertThat(stream.text().lines().filter(line -> line.contains(" - line ")).count()).isEqualTo(1000);
        log.info("after the flush");
        assertThat(stream.text()).doesNotContain("after the flush");
    }

    @Test
    void theNodeShipsNoLogbackXml() {
        // One would silently replace NodeLogging (e.g. a stale target/classes/logback.xml).
        assertThat(NodeLogging.class.getClassLoader().getResource("logback.xml")).isNull();
    }

    private static ConsoleQueue queueOf(LoggerContext context) {
        return (ConsoleQueue) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(NodeLogging.QUEUE);
    }

    /** A context as logback's service provider makes one (a queued event copies the MDC). */
    private static LoggerContext contextWithMdc() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private static OutputStreamAppender<ILoggingEvent> console(OutputStream stream) {
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setOutputStream(stream);
        return console;
    }

    /** A console whose reader is away until {@link #open()}: writes block, as on a full pipe. */
    private static final class GatedStream extends OutputStream {
        private final CountDownLatch gate = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        void open() {
            gate.countDown();
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            // Not interruptible, as System.out's stream is not: logback interrupts its writer when it stops, and the
            // writer may still be waking from a gate that has just opened.
            boolean interrupted = false;
            while (gate.getCount() > 0) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            synchronized (written) {
                written.write(bytes, offset, length);
            }
        }
    }

    private static ExecutionStatus configure(LoggerContext context) {
        NodeLogging configurator = new NodeLogging();
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private static void assertNodesSettings(LoggerContext context) {
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        ConsoleQueue queue = queueOf(context);
        assertThat(queue.isStarted()).isTrue();
        var console = (ConsoleAppender<ILoggingEvent>) queue.console();
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
