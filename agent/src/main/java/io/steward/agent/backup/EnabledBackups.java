package io.steward.agent.backup;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.operation.BackupRunner;
import io.steward.agent.backup.operation.BackupTools;
import io.steward.agent.backup.operation.Checks;
import io.steward.agent.backup.operation.FileRestorer;
import io.steward.agent.backup.operation.HostKeyScanner;
import io.steward.agent.backup.operation.ProgressReporter;
import io.steward.agent.backup.operation.SnapshotBrowser;
import io.steward.agent.backup.operation.SnapshotVerifier;
import io.steward.agent.backup.operation.Workspace;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.store.CommandIds;
import io.steward.agent.backup.store.CommandLedger;
import io.steward.agent.backup.store.CoverageStore;
import io.steward.agent.backup.store.ResultOutbox;
import io.steward.agent.backup.store.RunningJournal;
import io.steward.agent.backup.store.StartedCommand;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupOperation;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups on an agent started with {@code --backups FILE}. Every command is checked against the file's allow-lists
 * before anything runs. Decisions (checks, one operation per job at a time, a command id never run twice) are
 * taken one at a time on a dispatcher thread; the work runs on threads of its own, never on the link's.
 *
 * <p>Results of runs, restores and verifications are written to the outbox before they are sent, sent again after
 * every welcome and forgotten on the node's {@code BackupAck}; a command begun and cut short by a crash gets an
 * "interrupted" result at the next start. The state lives in {@code <state-dir>/backups/}.
 */
public final class EnabledBackups implements Backups {
    private static final Logger log = LoggerFactory.getLogger(EnabledBackups.class);
    /** How long a stop waits for running operations to record their interrupted results. */
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private final BackupsConfig config;
    private final Checks checks;
    private final BackupTools tools;
    private final Consumer<AgentMessage> send;
    private final ResultOutbox outbox;
    private final RunningJournal journal;
    private final CommandLedger ledger;
    private final BackupRunner runner;
    private final SnapshotBrowser browser;
    private final FileRestorer restorer;
    private final SnapshotVerifier verifier;
    private final HostKeyScanner scanner;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(daemon("steward-backup-dispatch"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("steward-backup-work"));
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(daemon("steward-backup-deadline"));
    /** The operation each busy job runs; touched on the dispatcher only. */
    private final Map<String, Active> activeJobs = new HashMap<>();
    private final Map<String, Active> activeCommands = new HashMap<>();
    private boolean closing;

    /** A run, restore or verification in progress. */
    private record Active(String commandId, BackupOperation operation, String jobId, Cancellation cancellation,
            ScheduledFuture<?> deadline) {}

    private EnabledBackups(BackupsConfig config, BackupTools tools, Consumer<AgentMessage> send, Path directory,
            ResultOutbox outbox, RunningJournal journal, CommandLedger ledger) throws IOException {
        this.config = config;
        this.checks = new Checks(config);
        this.tools = tools;
        this.send = send;
        this.outbox = outbox;
        this.journal = journal;
        this.ledger = ledger;
        this.runner = new BackupRunner(tools);
        this.browser = new SnapshotBrowser(tools);
        this.restorer = new FileRestorer(tools, checks);
        this.verifier = new SnapshotVerifier(tools, new CoverageStore(directory.resolve("coverage")));
        this.scanner = new HostKeyScanner(tools);
    }

    /**
     * Opens {@code stateDirectory/backups}: makes the agent's key on first use, asks rsync its version, clears
     * scratch files and records an "interrupted" result for every command an earlier process left unfinished.
     */
    public static EnabledBackups start(BackupsConfig config, Path stateDirectory, String hostname,
            String agentVersion, Consumer<AgentMessage> send, Clock clock) throws IOException, InterruptedException {
        requireNonNull(config, "config is null");
        requireNonNull(send, "send is null");
        Path directory = stateDirectory.toAbsolutePath().normalize().resolve("backups");
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        AgentKey key = AgentKey.ensure(directory, config.programs().sshKeygen(), hostname);
        Path work = Workspace.reset(directory.resolve("work"));
        String rsyncVersion = RsyncVersion.of(config.programs().rsync()).orElse(null);
        BackupTools tools = new BackupTools(config.programs(), key, work, clock, agentVersion, rsyncVersion,
                BackupTools.BUSY_RETRIES);
        EnabledBackups backups = new EnabledBackups(config, tools, send, directory,
                new ResultOutbox(directory.resolve("outbox")), new RunningJournal(directory.resolve("running")),
                CommandLedger.open(directory.resolve("recent-ids")));
        backups.recoverUnfinished();
        log.info("Backups enabled: sources within {}, destinations {}, rsync [{}], key [{}]", config.allowSources(),
                config.allowDestinations(), rsyncVersion, key.publicKey());
        return backups;
    }

    @Override
    public void handle(NodeMessage frame) {
        try {
            dispatcher.execute(() -> {
                try {
                    dispatch(frame);
                } catch (IOException | RuntimeException e) {
                    log.error("Cannot take the backup command [{}]", frame.getClass().getSimpleName(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Backups are stopping; ignoring [{}]", frame.getClass().getSimpleName());
        }
    }

    @Override
    public void welcomed() {
        try {
            dispatcher.execute(() -> {
                send.accept(new AgentMessage.BackupInfo(true, tools.key().publicKey(), config.allowSources(),
                        config.allowDestinations(), tools.rsyncVersion()));
                try {
                    outbox.all().forEach(send);
                } catch (IOException e) {
                    log.error("Cannot read the backup results waiting for the node", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Backups are stopping; not announcing them");
        }
    }

    /** The agent's public key (what a destination's authorized_keys line carries). */
    public String publicKey() {
        return tools.key().publicKey();
    }

    // ------------------------------------------------------------------------------------------------ dispatching

    private void dispatch(NodeMessage frame) throws IOException {
        if (closing) {
            return;
        }
        if (frame instanceof NodeMessage.BackupAck ack) {
            if (CommandIds.valid(ack.commandId()) && outbox.remove(ack.commandId())) {
                log.debug("Backup result [{}] acknowledged", ack.commandId());
            }
        } else if (frame instanceof NodeMessage.FetchHostKey fetch) {
            Optional<String> refusal = checks.destination(fetch.destination());
            if (refusal.isPresent()) {
                refused(fetch, refusal.get());
                send.accept(new AgentMessage.HostKeyFetched(fetch.commandId(), null, BackupFailure.NOT_ALLOWED,
                        refusal.get()));
            } else {
                answerInBackground(() -> scanner.fetch(fetch, new Cancellation()));
            }
        } else if (frame instanceof NodeMessage.BrowseSnapshot browse) {
            browse(browse);
        } else if (frame instanceof NodeMessage.BackupRun run) {
            accept(run.runId(), BackupOperation.RUN, run.job(), checks.job(run.job()), run.job().timeout(),
                    (cancellation, progress, startedAt) -> runner.run(run, startedAt, cancellation, progress));
        } else if (frame instanceof NodeMessage.RestoreFiles restore) {
            accept(restore.restoreId(), BackupOperation.RESTORE, restore.job(), checks.restore(restore), null,
                    (cancellation, progress, startedAt) -> restorer.restore(restore, cancellation, progress));
        } else if (frame instanceof NodeMessage.VerifySnapshot verify) {
            accept(verify.verifyId(), BackupOperation.VERIFY, verify.job(), checks.job(verify.job()),
                    verify.job().timeout(),
                    (cancellation, progress, startedAt) -> verifier.verify(verify, cancellation, progress));
        }
    }

    private void browse(NodeMessage.BrowseSnapshot browse) {
        Optional<String> refusal = checks.browse(browse);
        if (refusal.isPresent()) {
            refused(browse, refusal.get());
            send.accept(new AgentMessage.SnapshotTree(browse.commandId(), browse.path(), List.of(), false,
                    BackupFailure.NOT_ALLOWED, refusal.get()));
            return;
        }
        Active busy = activeJobs.get(browse.job().jobId());
        if (busy != null) {
            send.accept(new AgentMessage.SnapshotTree(browse.commandId(), browse.path(), List.of(), false,
                    BackupFailure.DESTINATION_BUSY, busyReason(busy)));
            return;
        }
        answerInBackground(() -> browser.browse(browse, new Cancellation()));
    }

    /** A quick question (a host key, a directory) whose answer is sent live. */
    @FunctionalInterface
    private interface Answer {
        AgentMessage compute() throws InterruptedException;
    }

    private void answerInBackground(Answer answer) {
        workers.execute(() -> {
            try {
                send.accept(answer.compute());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The work of one run, restore or verification; returns its result. */
    @FunctionalInterface
    private interface Work {
        AgentMessage perform(Cancellation cancellation, ProgressReporter progress, Instant startedAt)
                throws InterruptedException;
    }

    /** Takes a run, restore or verification: the same id never twice, refusals and results kept until acked. */
    private void accept(String commandId, BackupOperation operation, BackupJobSpec job, Optional<String> refusal,
            Duration timeout, Work work) throws IOException {
        Instant now = tools.clock().instant();
        if (!CommandIds.valid(commandId)) {
            // Not kept: an id that cannot name a file is answered once, live.
            send.accept(BackupResults.refused(operation, commandId, job.jobId(), BackupFailure.NOT_ALLOWED,
                    CommandIds.rule(), now));
            return;
        }
        if (activeCommands.containsKey(commandId)) {
            log.debug("[{}] is running already; ignoring the repeated command", commandId);
            return;
        }
        Optional<AgentMessage> known = outbox.get(commandId);
        if (known.isPresent()) {
            send.accept(known.get()); // the node asked again: its result was lost on the way
            return;
        }
        if (ledger.contains(commandId)) {
            log.info("Ignoring [{}] [{}]: it ran already and the node acknowledged its result", operation, commandId);
            return;
        }
        ledger.remember(commandId);
        Active busy = activeJobs.get(job.jobId());
        if (refusal.isPresent() || busy != null) {
            AgentMessage result;
            if (refusal.isPresent()) {
                log.warn("Refused [{}] [{}] of job [{}]: {}", operation, commandId, job.jobId(), refusal.get());
                result = BackupResults.refused(operation, commandId, job.jobId(), BackupFailure.NOT_ALLOWED,
                        refusal.get(), now);
            } else {
                result = BackupResults.refused(operation, commandId, job.jobId(), operation == BackupOperation.RUN
                        ? BackupFailure.ALREADY_RUNNING : BackupFailure.DESTINATION_BUSY, busyReason(busy), now);
            }
            outbox.put(commandId, result);
            send.accept(result);
            return;
        }
        journal.begin(new StartedCommand(commandId, operation, job.jobId(), now));
        Cancellation cancellation = new Cancellation();
        ScheduledFuture<?> deadline = timeout == null ? null : deadlines.schedule(
                () -> cancellation.cancel(BackupFailure.TIMED_OUT), timeout.toMillis(), TimeUnit.MILLISECONDS);
        Active active = new Active(commandId, operation, job.jobId(), cancellation, deadline);
        activeJobs.put(job.jobId(), active);
        activeCommands.put(commandId, active);
        ProgressReporter progress = new ProgressReporter(commandId, job.jobId(), operation, send, tools.clock());
        progress.phase("starting");
        log.info("Starting [{}] [{}] of job [{}]", operation, commandId, job.jobId());
        workers.execute(() -> {
            AgentMessage result;
            try {
                result = work.perform(cancellation, progress, now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = BackupResults.failed(operation, commandId, job.jobId(), BackupFailure.INTERRUPTED,
                        "the agent stopped while it ran", now, tools.clock().instant());
            } catch (RuntimeException e) {
                log.error("[{}] [{}] failed in the agent", operation, commandId, e);
                result = BackupResults.failed(operation, commandId, job.jobId(), BackupFailure.RSYNC_FAILED,
                        "the agent failed: " + e, now, tools.clock().instant());
            }
            finish(active, result);
        });
    }

    /**
     * Keeps an operation's result, frees its job, then sends the result. Runs on the operation's thread; the job is
     * freed on the dispatcher before the node can hear of the result, so the next command it sends finds it free.
     */
    private void finish(Active active, AgentMessage result) {
        try {
            outbox.put(active.commandId(), result);
            journal.end(active.commandId());
        } catch (IOException e) {
            log.error("Cannot keep the result of [{}] on disk; sending it once", active.commandId(), e);
        }
        log.info("Finished [{}] [{}] of job [{}]", active.operation(), active.commandId(), active.jobId());
        try {
            dispatcher.execute(() -> {
                if (active.deadline() != null) {
                    active.deadline().cancel(false);
                }
                activeJobs.remove(active.jobId(), active);
                activeCommands.remove(active.commandId());
                send.accept(result);
            });
        } catch (RejectedExecutionException e) {
            send.accept(result); // stopping: nothing more will be dispatched
        }
    }

    private static String busyReason(Active busy) {
        return "job " + busy.jobId() + " is busy with " + busy.operation().wireName() + " " + busy.commandId()
                + " on this agent (its destination is locked while it runs); try again when it ends";
    }

    private static void refused(NodeMessage frame, String reason) {
        log.warn("Refused [{}]: {}", frame.getClass().getSimpleName(), reason);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Gives every command an earlier process began and never finished an "interrupted" result. */
    private void recoverUnfinished() throws IOException {
        for (StartedCommand started : journal.unfinished()) {
            if (outbox.get(started.commandId()).isEmpty()) {
                log.warn("[{}] [{}] of job [{}] was cut short when the agent last stopped", started.operation(),
                        started.commandId(), started.jobId());
                outbox.put(started.commandId(), BackupResults.failed(started.operation(), started.commandId(),
                        started.jobId(), BackupFailure.INTERRUPTED, "the agent stopped while it ran (killed or "
                                + "crashed); nothing was marked complete", started.startedAt(),
                        tools.clock().instant()));
            }
            journal.end(started.commandId());
        }
    }

    @Override
    public void close() {
        List<Cancellation> running = new ArrayList<>();
        try {
            dispatcher.submit(() -> {
                closing = true;
                activeCommands.values().forEach(active -> running.add(active.cancellation()));
            }).get(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Backups did not stop cleanly: {}", e.toString());
        }
        AtomicInteger stopping = new AtomicInteger();
        for (Cancellation cancellation : running) {
            // Each stop waits up to a few seconds for rsync to end: stop them side by side.
            Thread thread = new Thread(() -> cancellation.cancel(BackupFailure.INTERRUPTED),
                    "steward-backup-stop-" + stopping.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Backup operations did not end within {} s", CLOSE_LIMIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.shutdown(); // what is queued still runs: the interrupted results are sent while the link is up
        try {
            dispatcher.awaitTermination(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
