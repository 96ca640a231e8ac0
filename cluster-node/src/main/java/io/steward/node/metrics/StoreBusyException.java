package io.steward.node.metrics;

/**
 * The writer's queue is full: the report was not accepted and the sender should retry later. Thrown (as the failure
 * of the returned stage) at once, without waiting, so back-pressure reaches the agent instead of piling up here.
 */
public final class StoreBusyException extends RuntimeException {
    public StoreBusyException(String message) {
        super(message, null, false, false);
    }
}
