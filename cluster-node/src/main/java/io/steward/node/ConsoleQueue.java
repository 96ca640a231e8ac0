package io.steward.node;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's console behind a bounded queue, written by a thread of its own: a log call never waits for the console.
 * The node's actors share one dispatcher thread per two cores (application.conf), and a console that stops reading —
 * a paused terminal, a stalled journal, a pipe nobody drains — would otherwise stop every actor at its next log line.
 * When the queue is full a line is dropped and counted; the writer says how many after the next line it writes, and
 * when it stops.
 */
final class ConsoleQueue extends AsyncAppender {
    /** Lines held while the console lags: a connection storm's worth; the array of references is 16 KB. */
    static final int CAPACITY = 4096;

    private final AtomicLong dropped = new AtomicLong();
    private final Appender<ILoggingEvent> console;

    /** Queues for {@code console}, which the caller has started; it is stopped with this. */
    ConsoleQueue(LoggerContext context, Appender<ILoggingEvent> console) {
        setContext(context);
        setQueueSize(CAPACITY);
        setDiscardingThreshold(0); // logback's default drops INFO and below once the queue is 80 % full
        setNeverBlock(true);
        this.console = console;
        addAppender(new Writer());
    }

    Appender<ILoggingEvent> console() {
        return console;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Logback's never-blocking put ignores whether the offer took; the capacity is checked first instead (and
        // before a dropped line's message is formatted). With several threads logging at once a line can still lose
        // the race for the last slot uncounted: "at least".
        if (getRemainingCapacity() == 0) {
            dropped.incrementAndGet();
            return;
        }
        super.append(event);
    }

    /** The queue's writer side: each line to the console, then the count of lines dropped meanwhile, if any. */
    private final class Writer extends UnsynchronizedAppenderBase<ILoggingEvent> {
        Writer() {
            setContext(ConsoleQueue.this.getContext());
            setName(console.getName() + "-writer");
            start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            console.doAppend(event);
            reportDropped();
        }

        @Override
        public void stop() {
            reportDropped();
            console.stop();
            super.stop();
        }

        private void reportDropped() {
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                console.doAppend(new LoggingEvent(ConsoleQueue.class.getName(),
                        ((LoggerContext) ConsoleQueue.this.getContext()).getLogger(ConsoleQueue.class), Level.WARN,
                        "At least {} log lines dropped: the console did not take them as fast as they came", null,
                        new Object[] {lost}));
            }
        }
    }
}
