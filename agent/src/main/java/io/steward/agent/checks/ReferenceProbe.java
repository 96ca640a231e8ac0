package io.steward.agent.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckResult;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this agent's own network works, judged by a GET of the operator's reference URL: any HTTP answer at all
 * (even a 404 or a 500) means reachable; no answer (no route, refused, timed out, a broken TLS handshake) means not,
 * and the node then counts this agent's failures as abstentions instead of votes. Tried every {@link #PERIOD} while
 * checks are assigned, and again right after a check fails if the last try began more than {@link #FRESH} ago — so
 * a failure caused by this agent's network is recognised within seconds, without a GET per failed check.
 */
final class ReferenceProbe implements AutoCloseable {
    static final Duration PERIOD = Duration.ofSeconds(30);
    static final Duration FRESH = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ReferenceProbe.class);

    private final URI url;
    private final AssignedCheck check;
    private final Prober prober;
    private final ScheduledExecutorService thread;
    /** When the last try began (System.nanoTime), or {@link Long#MIN_VALUE} before the first. */
    private final AtomicLong lastTry = new AtomicLong(Long.MIN_VALUE);
    private volatile @Nullable Boolean reachable;
    private ScheduledFuture<?> schedule;

    ReferenceProbe(URI url, Prober prober) {
        this.url = requireNonNull(url, "url is null");
        this.check = CheckOptions.referenceCheck(url);
        this.prober = requireNonNull(prober, "prober is null");
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "steward-check-reference");
            daemon.setDaemon(true);
            return daemon;
        });
    }

    /** Whether the reference answered when last tried; null before the first try ended. */
    @Nullable Boolean reachable() {
        return reachable;
    }

    /** Tries every {@link #PERIOD} while {@code watching} (checks are assigned), the first try at once. */
    synchronized void watch(boolean watching) {
        if (watching && schedule == null) {
            schedule = thread.scheduleWithFixedDelay(this::tryNow, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        } else if (!watching && schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    /** A check failed: tries again now unless the last try is fresh (then its answer stands). */
    void checkFailed() {
        long now = System.nanoTime();
        long last = lastTry.get();
        if (last != Long.MIN_VALUE && now - last < FRESH.toNanos()) {
            return;
        }
        try {
            thread.execute(this::tryNow);
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    private void tryNow() {
        long now = System.nanoTime();
        long last = lastTry.get();
        // A try queued behind one that just ran is redundant (a burst of failures queues several).
        if (last != Long.MIN_VALUE && now - last < FRESH.toNanos() && reachable != null) {
            return;
        }
        lastTry.set(now);
        CheckResult result = prober.probe(check);
        boolean answered = result.up() || result.statusCode() != null;
        Boolean before = reachable;
        reachable = answered;
        if (before == null || before != answered) {
            if (answered) {
                log.info("Reference [{}] answered: this agent's check results count as votes", url);
            } else {
                log.warn("Reference [{}] did not answer ({}): the node counts this agent's checks as abstentions",
                        url, result.message());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
