package io.steward.node.metrics;

/** What a committed write did. */
public enum WriteOutcome {
    /** The report is new and now stored. */
    STORED,
    /** A report with this server and sequence was already stored (an idempotent replay); nothing was written. */
    DUPLICATE
}
