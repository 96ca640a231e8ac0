package io.steward.node.auth;

import static java.util.Objects.requireNonNull;

import io.steward.node.problem.Problem;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mindrot.jbcrypt.BCrypt;

/**
 * bcrypt on its own small pool with a bounded queue. Hashing is deliberately slow; run on the shared blocking
 * dispatcher, a login flood would occupy the threads that JDBC work (and so ingest) needs. Here it can only fill
 * this pool: past the queue, a check fails at once ({@link Problem.Code#UNAVAILABLE}) instead of waiting.
 */
public final class PasswordHashing implements AutoCloseable {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 200;

    private final int cost;
    private final ThreadPoolExecutor pool;
    /** Compared against when the user does not exist, so a missing user takes as long as a wrong password. */
    private final String decoyHash;

    public PasswordHashing(int cost, int threads, int queue) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be within 4..31");
        }
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("the hashing pool needs at least one thread and one queue slot");
        }
        this.cost = cost;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), runnable -> {
                    Thread thread = new Thread(runnable, "steward-password-hashing-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.decoyHash = hashNow("decoy");
    }

    /** Hashes on the calling thread: for the first admin at start and the offline reset-password command. */
    public String hashNow(String password) {
        return BCrypt.hashpw(requireNonNull(password, "password is null"), BCrypt.gensalt(cost));
    }

    /** A new bcrypt hash of {@code password}, computed on the pool. */
    public CompletableFuture<String> hash(String password) {
        return submit(() -> hashNow(password));
    }

    /**
     * Whether {@code password} matches {@code hash}; a null hash (no such user) is compared with a decoy, so both
     * answers take as long.
     */
    public CompletableFuture<Boolean> matches(String password, @Nullable String hash) {
        return submit(() -> {
            if (hash == null) {
                BCrypt.checkpw(password, decoyHash);
                return false;
            }
            return BCrypt.checkpw(password, hash);
        });
    }

    /** Refuses a password a person should not be allowed to choose; the message names the rule. */
    public static void checkStrength(String field, @Nullable String password) {
        if (password == null || password.isEmpty()) {
            throw Problem.invalid(field + " is required");
        }
        if (password.length() < MIN_PASSWORD) {
            throw Problem.invalid(field + " must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw Problem.invalid(field + " is longer than " + MAX_PASSWORD + " characters");
        }
        if (password.isBlank()) {
            throw Problem.invalid(field + " must not be only spaces");
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new Problem(Problem.Code.UNAVAILABLE,
                    "too many logins at once; try again in a moment"));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
