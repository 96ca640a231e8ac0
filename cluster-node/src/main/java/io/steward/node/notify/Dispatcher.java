package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import io.steward.node.alerting.SeverityName;
import io.steward.node.database.Blocking;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the outbox: picks due messages, sends up to {@code parallelism} at once on its own pool (a slow SMTP
 * server never holds up ingestion or evaluation), logs every attempt, and schedules retries with exponential
 * backoff until the message is delivered or its attempts run out. One per cluster (inside the notifier singleton).
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Consecutive failures after which a channel counts as failing and the inbox says so. */
    public static final int FAILING_AFTER = 3;

    /** Local only (never crosses nodes). */
    public sealed interface Command extends NoSerializationVerificationNeeded {}

    /** New rows may be due now (sent by the ledger after a commit). */
    public record Poke() implements Command {}

    private record Tick() implements Command {}

    private record RemindTick() implements Command {}

    private record PruneTick() implements Command {}

    private record Loaded(List<Outbox.Pending> due, Throwable failure) implements Command {}

    private record Finished(long id, Optional<InboxItem> warning) implements Command {}

    /** What the dispatcher works with. */
    public record Dependencies(Outbox outbox, ChannelStore channels, AlertLedger ledger, Sender sender,
            NotifySettings settings, Executor sendPool, Blocking blocking, Consumer<InboxItem> inbox) {}

    private final ActorContext<Command> context;
    private final Dependencies deps;
    private final Set<Long> inFlight = new HashSet<>();
    private boolean loading;
    private boolean pokedWhileLoading;
    /**
     * Rows that finished while a load was running: that load's snapshot may still show them pending, so its result
     * must not start them again.
     */
    private final Set<Long> finishedWhileLoading = new HashSet<>();

    private Dispatcher(ActorContext<Command> context, Dependencies deps) {
        this.context = context;
        this.deps = requireNonNull(deps, "deps is null");
    }

    public static Behavior<Command> create(Dependencies deps) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), deps.settings().pollInterval());
            timers.startTimerWithFixedDelay(new RemindTick(), deps.settings().reminderCheck());
            timers.startTimerWithFixedDelay(new PruneTick(), Duration.ofMinutes(1), Duration.ofHours(1));
            context.getSelf().tell(new Poke());
            return new Dispatcher(context, deps).behavior();
        }));
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessage(Poke.class, poke -> load())
                .onMessage(Tick.class, tick -> load())
                .onMessage(RemindTick.class, tick -> {
                    deps.blocking().supply(deps.ledger()::queueReminders)
                            .whenComplete((rows, failure) -> {
                                if (failure != null) {
                                    log.warn("Could not queue reminders", failure);
                                } else if (rows > 0) {
                                    context.getSelf().tell(new Poke());
                                }
                            });
                    return Behaviors.same();
                })
                .onMessage(PruneTick.class, tick -> {
                    Instant cutoff = deps.outbox().now().minus(deps.settings().retention());
                    deps.blocking().supply(() -> deps.ledger().pruneOlderThan(cutoff)).whenComplete((rows, failure) -> {
                                if (failure != null) {
                                    log.warn("Could not prune old notifications", failure);
                                } else if (rows > 0) {
                                    log.info("Pruned [{}] notification rows older than [{}]", rows, cutoff);
                                }
                            });
                    return Behaviors.same();
                })
                .onMessage(Loaded.class, this::onLoaded)
                .onMessage(Finished.class, finished -> {
                    inFlight.remove(finished.id());
                    if (loading) {
                        finishedWhileLoading.add(finished.id());
                    }
                    finished.warning().ifPresent(deps.inbox());
                    return load();
                })
                .build();
    }

    private Behavior<Command> load() {
        if (loading) {
            pokedWhileLoading = true;
            return Behaviors.same();
        }
        int room = deps.settings().parallelism() - inFlight.size();
        if (room <= 0) {
            return Behaviors.same();
        }
        loading = true;
        context.pipeToSelf(deps.blocking().supply(() -> deps.outbox().due(room + inFlight.size())),
                (due, failure) -> new Loaded(due, failure));
        return Behaviors.same();
    }

    private Behavior<Command> onLoaded(Loaded loaded) {
        loading = false;
        Set<Long> stale = new HashSet<>(finishedWhileLoading);
        finishedWhileLoading.clear();
        if (loaded.failure() != null) {
            log.warn("Could not read the notification outbox; retrying on the next tick", loaded.failure());
            return Behaviors.same();
        }
        int started = 0;
        for (Outbox.Pending pending : loaded.due()) {
            if (inFlight.size() >= deps.settings().parallelism()) {
                break;
            }
            if (!stale.contains(pending.id()) && inFlight.add(pending.id())) {
                started++;
                context.pipeToSelf(CompletableFuture.supplyAsync(() -> deliver(pending), deps.sendPool()),
                        (warning, failure) -> {
                            if (failure != null) {
                                log.warn("Delivery bookkeeping failed for outbox row [{}]", pending.id(), failure);
                            }
                            return new Finished(pending.id(), warning == null ? Optional.empty() : warning);
                        });
            }
        }
        if (pokedWhileLoading || !stale.isEmpty() || started > 0 && inFlight.size() < deps.settings().parallelism()) {
            pokedWhileLoading = false;
            return load();
        }
        return Behaviors.same();
    }

    /** One attempt, start to finish, on the send pool; returns an inbox warning when the channel starts failing. */
    private Optional<InboxItem> deliver(Outbox.Pending pending) {
        int attempt = pending.attempts() + 1;
        // Claimed first: if this node dies mid-send, or a new singleton starts meanwhile, the row waits out the
        // lease instead of being sent again at once; if bookkeeping fails, it is retried after the lease, not in a
        // tight loop.
        Instant lease = deps.outbox().now().plus(deps.settings().sendTimeout().multipliedBy(3))
                .plus(deps.settings().backoff(1));
        if (!Rows.call(() -> deps.outbox().claim(pending.id(), pending.attempts(), lease))) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        String error = null;
        Optional<Channel> channel = Rows.call(() -> deps.channels().find(pending.channelId()));
        if (channel.isEmpty()) {
            error = "the channel was deleted";
        } else if (!channel.get().enabled()) {
            error = "the channel is disabled";
        } else {
            try {
                deps.sender().send(channel.get(), pending.notification(), pending.id());
            } catch (Sender.DeliveryException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                error = "unexpected: " + e;
                log.warn("Sender failed unexpectedly for outbox row [{}]", pending.id(), e);
            }
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
        boolean ok = error == null;
        boolean giveUp = channel.isEmpty() || attempt >= deps.settings().maxAttempts();
        Instant retryAt = ok || giveUp ? null : deps.outbox().now().plus(deps.settings().backoff(attempt));
        String finalError = error;
        Rows.call(() -> {
            deps.outbox().recordAttempt(pending.id(), attempt, ok, finalError, millis, retryAt);
            return null;
        });
        if (ok) {
            log.debug("Delivered outbox row [{}] to channel [{}] in {} ms", pending.id(), pending.channelId(), millis);
        } else {
            log.info("Delivery of outbox row [{}] to channel [{}] failed (attempt {}): {}{}", pending.id(),
                    pending.channelId(), attempt, error, retryAt == null ? "; giving up" : "; retrying at " + retryAt);
        }
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        int failures = Rows.call(() -> deps.channels().recordOutcome(pending.channelId(), ok, finalError));
        if (failures == FAILING_AFTER) {
            return Optional.of(Rows.call(() -> deps.ledger().addInbox(InboxItem.Kind.CHANNEL_FAILING,
                    SeverityName.WARNING, "Channel \"" + channel.get().name() + "\" failed " + failures
                            + " times in a row: " + finalError)));
        }
        return Optional.empty();
    }
}
