package io.steward.node.server;

import io.steward.core.fleet.ServerId;
import java.time.Clock;
import java.util.UUID;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/** What every concern of one server's entity shares while the entity runs. */
final class EntityContext {
    final ServerId serverId;
    final ServerEntitySettings settings;
    final Clock clock;
    final ActorContext<ServerCommand> actor;
    final TimerScheduler<ServerCommand> timers;
    final EffectFactories<ServerEvent, ServerState> effects;

    EntityContext(ServerId serverId, ServerEntitySettings settings, Clock clock, ActorContext<ServerCommand> actor,
            TimerScheduler<ServerCommand> timers, EffectFactories<ServerEvent, ServerState> effects) {
        this.serverId = serverId;
        this.settings = settings;
        this.clock = clock;
        this.actor = actor;
        this.timers = timers;
        this.effects = effects;
    }

    /** A fresh id for a command sent to the agent, to match its answer. */
    static String newCommandId() {
        return UUID.randomUUID().toString();
    }
}
