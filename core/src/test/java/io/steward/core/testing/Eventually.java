package io.steward.core.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polling with a deadline: the only way tests wait for asynchronous outcomes (never a bare sleep as
 * synchronisation). Tests wait exactly as long as the system needs, up to a limit.
 */
public final class Eventually {
    private static final long POLL_MILLIS = 20;

    private Eventually() {}

    /** Something that may throw an {@link AssertionError} (or any exception) until it holds. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} until it passes; after {@code timeout}, rethrows its last failure. */
    public static void eventually(Duration timeout, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(e);
                }
            }
            pause();
        }
    }

    /** Polls {@code value} until it is not null, then returns it. */
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
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
