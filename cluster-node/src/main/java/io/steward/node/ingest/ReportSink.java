package io.steward.node.ingest;

import io.steward.core.protocol.MetricsReport;
import java.util.concurrent.CompletionStage;

/** Where ingest stores reports durably (the metric store). A seam so ingest does not know the schema. */
public interface ReportSink {

    /** Completes once the report is durably stored: {@code true} if new, {@code false} if it already was. Fails with
     * {@link Busy} at once when the store cannot take more right now. */
    CompletionStage<Boolean> store(String serverId, long sequence, MetricsReport report);

    /** The highest report sequence stored for the server, 0 if none. */
    CompletionStage<Long> lastStoredSequence(String serverId);

    /** The store's queue is full: the agent keeps the report and sends it again later. */
    final class Busy extends RuntimeException {
        public Busy(String message) {
            super(message, null, false, false);
        }
    }
}
