package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/**
 * A fact about one server, persisted by its entity: the server's audit history, and (for alerts) the notifier's
 * input. Each family applies to one part of the entity's state ({@link ServerState.Active}).
 *
 * <p>These records are stored forever: renaming a class or a field needs a Jackson migration
 * ({@code JournalMigrations}), and {@code JournalCompatibilityTest} replays every type written by earlier versions.
 */
public sealed interface ServerEvent extends CborSerializable
        permits LifecycleEvent, IdentityEvent, DetailsEvent, PresenceEvent, AlertEvent, ServiceEvent,
        BackupEvent, CredentialEvent {

    /** When it happened, by the node's clock. */
    Instant at();
}
