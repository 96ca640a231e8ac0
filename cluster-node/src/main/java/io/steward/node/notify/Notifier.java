package io.steward.node.notify;

import io.steward.node.checks.CheckEvent;
import io.steward.node.checks.CheckId;
import io.steward.node.database.Blocking;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one notifier (a cluster singleton): follows the server and check entities' alert events from the journal
 * (by tag, from the offset stored with its effects), writes the ledger and the outbox, pushes inbox lines to the
 * browsers, and runs the {@link Dispatcher}. Evaluation never waits for it: entities persist and move on.
 */
public final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final int BATCH = 200;

    /** Local only (never crosses nodes). */
    public sealed interface Command extends NoSerializationVerificationNeeded {}

    /** Stops the singleton cleanly on hand-over. */
    public record Stop() implements Command {}

    private Notifier() {}

    public static Behavior<Command> create(AlertLedger ledger, Dispatcher.Dependencies dispatcherDeps,
            Blocking blocking, Consumer<InboxItem> inbox) {
        return Behaviors.setup(context -> {
            // A bug or a surprise in one delivery must not stop all of them: restart the dispatcher, keep the rows.
            ActorRef<Dispatcher.Command> dispatcher = context.spawn(Behaviors.supervise(
                    Dispatcher.create(dispatcherDeps)).onFailure(SupervisorStrategy.restartWithBackoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)), "dispatcher");
            JdbcReadJournal journal = PersistenceQuery.get(context.getSystem())
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            // A failure (database away) restarts the stream from the stored offset: nothing is skipped or doubled.
            Source<AlertLedger.Outcome, ?> projection = RestartSource.withBackoff(
                    RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2),
                    () -> Source.completionStageSource(blocking.supply(ledger::storedOffset)
                            .thenApply(offset -> journal.eventsByTag(ServerEntity.ALERT_TAG, Offset.sequence(offset))
                                    .groupedWithin(BATCH, Duration.ofMillis(5))
                                    .mapAsync(1, batch -> blocking.supply(() -> ledger.apply(envelopes(batch)))))));
            UniqueKillSwitch killSwitch = projection
                    .viaMat(KillSwitches.single(), Keep.right())
                    .toMat(Sink.foreach(outcome -> {
                        outcome.inbox().forEach(inbox);
                        if (outcome.outboxRows() > 0) {
                            dispatcher.tell(new Dispatcher.Poke());
                        }
                    }), Keep.left())
                    .run(context.getSystem());
            log.info("Notifier started");
            return Behaviors.receive(Command.class)
                    .onMessage(Stop.class, stop -> Behaviors.stopped())
                    .onSignal(org.apache.pekko.actor.typed.PostStop.class, signal -> {
                        killSwitch.shutdown();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static List<AlertLedger.Envelope> envelopes(List<EventEnvelope> batch) {
        List<AlertLedger.Envelope> envelopes = new ArrayList<>(batch.size());
        for (EventEnvelope envelope : batch) {
            if (!(envelope.offset() instanceof Sequence sequence)) {
                continue;
            }
            String persistenceId = envelope.persistenceId();
            String entityId = persistenceId.substring(persistenceId.indexOf('|') + 1);
            if (envelope.event() instanceof ServerEvent event) {
                envelopes.add(new AlertLedger.Envelope(sequence.value(), entityId, event));
            } else if (envelope.event() instanceof CheckEvent.Alerted alerted) {
                // A check's alerts are filed under its subject (check:<id>), which no server id can be.
                envelopes.add(new AlertLedger.Envelope(sequence.value(), CheckId.subject(entityId), alerted.alert()));
            } else if (envelope.event() instanceof CheckEvent.CertificateExpiring expiring) {
                envelopes.add(new AlertLedger.Envelope(sequence.value(), CheckId.subject(entityId), expiring));
            }
        }
        return envelopes;
    }
}
