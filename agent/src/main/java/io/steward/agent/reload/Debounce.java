package io.steward.agent.reload;

import java.util.Objects;

/**
 * Says when an observed value has changed and then held still for one more observation: the moment to act on a file
 * that was being written. Not thread-safe (the watcher uses it from one thread).
 *
 * @param <T> what is observed (files' fingerprints)
 */
final class Debounce<T> {
    private T baseline;
    private T pending;

    Debounce(T baseline) {
        this.baseline = baseline;
    }

    /**
     * Records an observation; true when it differs from the baseline and equals the previous observation (the
     * change has settled). It then becomes the baseline.
     */
    boolean settledChange(T observed) {
        if (Objects.equals(observed, baseline)) {
            pending = null;
            return false;
        }
        if (!Objects.equals(observed, pending)) {
            pending = observed;
            return false;
        }
        baseline = observed;
        pending = null;
        return true;
    }

    /** Takes {@code observed} as the baseline (after a reload read the files as they are). */
    void reset(T observed) {
        baseline = observed;
        pending = null;
    }
}
