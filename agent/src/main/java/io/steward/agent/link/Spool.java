package io.steward.agent.link;

import io.steward.core.protocol.MetricsReport;
import java.io.Closeable;
import java.io.IOException;

/**
 * The agent's write-ahead queue of reports. Every collected report is appended here first and given the next
 * sequence number; the link reads pending reports in sequence order and a report leaves only when the node
 * acknowledged it (or it was dropped to respect the bounds, oldest first).
 *
 * <p>Drops are counted: the count not yet reported travels in the next appended report's {@code droppedReports}
 * (added to whatever the source put there). If that report is itself dropped before the node acknowledged it, its
 * count goes back into the counter, so every drop is reported exactly once.
 *
 * <p>Implementations are thread-safe: the collection loop appends while the link reads and acknowledges.
 */
public interface Spool extends Closeable {

    /** Appends a report, stamping its {@code droppedReports}; returns the sequence it was given. */
    long append(MetricsReport report) throws IOException;

    /** The first pending report with a sequence of at least {@code fromSequence}, or null if there is none. */
    SpooledReport next(long fromSequence) throws IOException;

    /** The lowest pending sequence, or {@link #nextSequence()} when nothing is pending. */
    long firstPendingSequence();

    /** The sequence the next append will get. */
    long nextSequence();

    /** The node stored this report: it may go. Unknown or already settled sequences are ignored. */
    void acknowledge(long sequence) throws IOException;

    /** The node refused this report for good (e.g. malformed): it goes and counts as dropped. */
    void reject(long sequence) throws IOException;

    /**
     * Renumbers so that every pending report, and every later one, has a sequence above {@code floor}, keeping their
     * order. Used when the node already stored sequences this spool was about to reuse (state lost).
     *
     * @return whether anything changed
     */
    boolean rebaseAbove(long floor) throws IOException;

    /** Reports appended and not yet acknowledged, rejected or dropped. */
    int pendingCount();

    /** Reports dropped (bounds exceeded or refused) since this spool was opened. */
    long droppedCount();

    /** Whether pending reports and their sequences survive a restart. */
    boolean durable();

    /** Forces everything to stable storage. */
    void flush() throws IOException;

    /** A copy of {@code report} with a different {@code droppedReports}. */
    static MetricsReport withDroppedReports(MetricsReport report, long droppedReports) {
        if (report.droppedReports() == droppedReports) {
            return report;
        }
        return new MetricsReport(report.collectedAt(), report.intervalMillis(), report.host(), report.cpu(),
                report.memory(), report.filesystems(), report.disks(), report.interfaces(), report.processes(),
                droppedReports);
    }
}
