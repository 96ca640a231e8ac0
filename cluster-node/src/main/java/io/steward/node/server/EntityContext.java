package io.steward.node.server;

import io.steward.core.fleet.ServerId;
import java.time.Clock;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/** What every concern of one server's entity shares while the entity runs. */
final class EntityContext {
    final ServerId serverId;
    final ServerEntitySettings settings;
    final Clock clock;
    final ActorContext<ServerCommand> actor;
    final TimerScheduler<ServerCommand> timers;
    final EffectFactories<ServerEvent, ServerState> effects;
    /** The shard that runs this entity; null outside sharding (tests). */
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private boolean passivating;
    private final OfflineThreshold offlineThreshold;

    EntityContext(ServerId serverId, ServerEntitySettings settings, Clock clock, ActorContext<ServerCommand> actor,
            TimerScheduler<ServerCommand> timers, EffectFactories<ServerEvent, ServerState> effects,
            ActorRef<ClusterSharding.ShardCommand> shard, OfflineThreshold offlineThreshold) {
        this.serverId = serverId;
        this.settings = settings;
        this.clock = clock;
        this.actor = actor;
        this.timers = timers;
        this.effects = effects;
        this.shard = shard;
        this.offlineThreshold = offlineThreshold;
    }

    /** How long without a report before a server with this interval counts offline, by the threshold in force now. */
    java.time.Duration offlineDelay(long intervalMillis) {
        return settings.offlineDelay(intervalMillis,
                offlineThreshold.missedReports().orElse(settings.offlineAfterMissedReports()));
    }

    /**
     * Asks the shard to stop this entity and, with remember-entities on, to forget it: an unknown or deleted server
     * must not be started again on every start of the cluster. Messages that reach the shard meanwhile are buffered and
     * start a new incarnation. Asked once per incarnation.
     */
    void passivate() {
        if (shard != null && !passivating) {
            passivating = true;
            shard.tell(new ClusterSharding.Passivate<>(actor.getSelf()));
        }
    }

    /** A fresh id for a command sent to the agent, to match its answer. */
    static String newCommandId() {
        return UUID.randomUUID().toString();
    }
}
