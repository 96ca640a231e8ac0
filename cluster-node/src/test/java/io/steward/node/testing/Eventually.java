package io.steward.node.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling with a deadline: the only way tests here wait for asynchronous outcomes (never a bare sleep). */
public final class Eventually {
    private Eventually() {}

    /** Re-runs {@code assertion} until it passes or {@code timeout} elapses; then rethrows its last failure. */
    public static void eventually(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            pause();
        }
    }

    /** Polls until {@code value} yields non-null, then returns it. */
    public static <T> T await(Duration timeout, String what, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T found = value.get();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            pause();
        }
    }

    /** The polling interval between attempts (not a synchronisation point). */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
