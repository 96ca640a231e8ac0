package io.steward.node.alerting;

import static java.util.Objects.requireNonNull;

import io.steward.node.broadcast.TopicFollower;
import io.steward.node.database.Blocking;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's in-memory copy of the alert rules, what every server entity on the node reads. Reloaded from the
 * {@link RuleStore} when any node changes a rule (told through the cluster) and on a timer as a safety net.
 */
public final class RuleBook implements RuleSource {
    private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

    private final RuleStore store;
    private final Blocking blocking;
    private volatile Rules current = Rules.of(List.of());

    public RuleBook(RuleStore store, Blocking blocking) {
        this.store = requireNonNull(store, "store is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
    }

    @Override
    public Rules rules() {
        return current;
    }

    /** Reads the rules now, on the calling thread (node start). */
    public void loadNow() throws java.sql.SQLException {
        current = Rules.of(store.all());
    }

    /** Told to every node's rule book when any node changed a rule. */
    public record RulesChanged() implements io.steward.node.serialization.CborSerializable {}

    /**
     * An actor that reloads this book whenever a {@link RulesChanged} arrives on {@code topic}, and every
     * {@code safetyInterval} in case a message was lost (a node partitioned away while a rule changed).
     */
    public Behavior<RulesChanged> follower(ActorRef<Topic.Command<RulesChanged>> topic, Duration safetyInterval) {
        return TopicFollower.of(topic, new RulesChanged(), safetyInterval, this::reload);
    }

    /** Re-reads the rules off the caller's thread; on failure the previous rules stay in force. */
    public CompletionStage<Void> reload() {
        return blocking.run(() -> {
            try {
                current = Rules.of(store.all());
            } catch (java.sql.SQLException e) {
                log.warn("Could not reload alert rules; keeping the previous {} rules", current.all().size(), e);
            }
        });
    }
}
