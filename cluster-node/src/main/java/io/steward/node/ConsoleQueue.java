package io.steward.node;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's console behind a bounded queue, written by a thread of its own: a log call never waits for the console.
 * The node's actors share one dispatcher thread per two cores (application.conf), and a console that stops reading —
 * a paused terminal, a stalled journal, a pipe nobody drains — would otherwise stop every actor at its next log line.
 * When the queue is full a line is dropped and counted, and the count is logged as soon as there is room again.
 */
final class ConsoleQueue extends AsyncAppender {
    /** Lines held while the console lags: a connection storm's warnings fit; the array of references is 16 KB. */
    static final int CAPACITY = 4096;

    private final AtomicLong dropped = new AtomicLong();

    ConsoleQueue() {
        setQueueSize(CAPACITY);
        setDiscardingThreshold(0); // logback's default drops INFO and below once the queue is 80 % full
        setNeverBlock(true);
    }

    @Override
    protected void put(ILoggingEvent event) {
        if (getRemainingCapacity() == 0) {
            dropped.incrementAndGet();
            return;
        }
        long lost = dropped.get();
        if (lost > 0 && getRemainingCapacity() > 1 && dropped.compareAndSet(lost, 0)) {
            super.put(droppedNotice(lost));
        }
        super.put(event); // a line that lost a race for the last slot is dropped uncounted
    }

    private ILoggingEvent droppedNotice(long lost) {
        LoggingEvent notice = new LoggingEvent(ConsoleQueue.class.getName(),
                ((LoggerContext) getContext()).getLogger(ConsoleQueue.class), Level.WARN,
                "{} log lines dropped: the console did not take them as fast as they came", null, new Object[] {lost});
        preprocess(notice);
        return notice;
    }
}
