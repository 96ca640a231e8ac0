package io.steward.agent.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks the node assigned, each on its own interval: a first run after a random delay (so a fresh
 * assignment does not fire all at once), then every interval; at most {@code concurrency} probes at a time, never two
 * of the same check (a due run while the last one still runs is skipped), at most {@code maxChecks} checks. Every
 * result goes to the sink — the seam where the link batches them into {@code CheckResults} frames.
 */
public final class Checks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checks.class);

    private final ChecksSettings settings;
    private final Prober prober;
    private final Consumer<CheckResult> sink;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;
    private final Map<String, Running> running = new HashMap<>();
    private final AtomicInteger skipped = new AtomicInteger();

    /** What an assignment did: the ids now scheduled, and those refused over the cap. */
    public record Assignment(List<String> scheduled, List<String> refused) {}

    private static final class Running {
        final AssignedCheck check;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean stopped;
        volatile ScheduledFuture<?> schedule;

        Running(AssignedCheck check) {
            this.check = check;
        }

        void stop() {
            stopped = true;
            schedule.cancel(false);
        }
    }

    public Checks(ChecksSettings settings, Prober prober, Consumer<CheckResult> sink) {
        this.settings = requireNonNull(settings, "settings is null");
        this.prober = requireNonNull(prober, "prober is null");
        this.sink = requireNonNull(sink, "sink is null");
        AtomicInteger threads = new AtomicInteger();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "steward-checks-timer"));
        // At most one queued run per check, so a queue of maxChecks never overflows.
        this.workers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.maxChecks()),
                runnable -> daemon(runnable, "steward-check-" + threads.incrementAndGet()));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Replaces the running checks with {@code checks}: unchanged ones keep their rhythm, changed and new ones start
     * after a jittered delay, missing ones stop. Checks after the first {@code maxChecks} are refused.
     */
    public synchronized Assignment assign(List<AssignedCheck> checks) {
        List<String> scheduled = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, AssignedCheck> wanted = new HashMap<>();
        for (AssignedCheck check : checks) {
            if (wanted.size() < settings.maxChecks()) {
                wanted.put(check.id(), check);
                scheduled.add(check.id());
            } else {
                refused.add(check.id());
            }
        }
        running.entrySet().removeIf(entry -> {
            AssignedCheck next = wanted.get(entry.getKey());
            boolean keep = next != null && next.equals(entry.getValue().check);
            if (!keep) {
                entry.getValue().stop();
            }
            return !keep;
        });
        for (AssignedCheck check : wanted.values()) {
            if (!running.containsKey(check.id())) {
                running.put(check.id(), schedule(check));
            }
        }
        if (!refused.isEmpty()) {
            log.warn("Refused [{}] checks over this agent's cap of [{}]: {}", refused.size(), settings.maxChecks(),
                    refused);
        }
        return new Assignment(List.copyOf(scheduled), List.copyOf(refused));
    }

    private Running schedule(AssignedCheck check) {
        long intervalMillis = check.definition().interval().toMillis();
        long jitterBound = Math.min(intervalMillis, settings.maxStartJitter().toMillis());
        long firstDelay = jitterBound == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterBound);
        Running entry = new Running(check);
        entry.schedule = timer.scheduleAtFixedRate(() -> due(entry), firstDelay, intervalMillis,
                TimeUnit.MILLISECONDS);
        return entry;
    }

    /** Runs {@code id} now (outside its rhythm); false when it is not assigned or is running already. */
    public boolean runNow(String id) {
        Running entry;
        synchronized (this) {
            entry = running.get(id);
        }
        return entry != null && due(entry);
    }

    private boolean due(Running entry) {
        if (entry == null || entry.stopped) {
            return false;
        }
        if (!entry.busy.compareAndSet(false, true)) {
            skipped.incrementAndGet();
            return false;
        }
        try {
            workers.execute(() -> {
                try {
                    CheckResult result = prober.probe(entry.check);
                    if (!entry.stopped) {
                        sink.accept(result);
                    }
                } catch (RuntimeException e) {
                    log.warn("Delivering the result of check [{}] failed", entry.check.id(), e);
                } finally {
                    entry.busy.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            entry.busy.set(false);
            return false;
        }
    }

    /** The ids of the checks scheduled now. */
    public synchronized List<String> assigned() {
        return List.copyOf(running.keySet());
    }

    /** Probes running at this moment. */
    public int active() {
        return workers.getActiveCount();
    }

    /** Probes due and waiting for a free slot. */
    public int waiting() {
        return workers.getQueue().size();
    }

    /** Due runs skipped because the check's previous run had not finished. */
    public int skipped() {
        return skipped.get();
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Running::stop);
        running.clear();
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
