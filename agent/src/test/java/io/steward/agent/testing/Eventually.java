package io.steward.agent.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling with a deadline instead of sleeping: tests wait exactly as long as the system needs, up to a limit. */
public final class Eventually {
    private static final long POLL_MILLIS = 20;

    private Eventually() {}

    /** Something that may throw an {@link AssertionError} until it holds. */
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
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    if (e instanceof AssertionError assertion) {
                        throw assertion;
                    }
                    throw new AssertionError(e);
                }
            }
            pause();
        }
    }

    /** Polls {@code value} until it is not null. */
    public static <T> T await(Duration timeout, String what, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
