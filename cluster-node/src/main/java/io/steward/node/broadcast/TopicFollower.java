package io.steward.node.broadcast;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Keeps a node's copy of something every node shares (rules, settings) fresh: runs {@code reload} whenever a
 * message arrives on a cluster topic, and every {@code safetyInterval} as well, because a topic delivers at most once
 * (a node partitioned away while something changed, or one that joined a moment ago, hears of it only this way).
 */
public final class TopicFollower {
    private TopicFollower() {}

    public static <T> Behavior<T> of(ActorRef<Topic.Command<T>> topic, T tick, Duration safetyInterval,
            Runnable reload) {
        requireNonNull(reload, "reload is null");
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            topic.tell(Topic.subscribe(context.getSelf()));
            timers.startTimerWithFixedDelay("safety", tick, safetyInterval);
            return Behaviors.receiveMessage(message -> {
                reload.run();
                return Behaviors.same();
            });
        }));
    }
}
