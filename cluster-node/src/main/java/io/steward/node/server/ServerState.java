package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.services.RecoveryPolicy;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/**
 * What a server's entity knows, rebuilt from its events (and stored in its snapshots). A registered server's state is
 * composed of parts, each applying its own family of events; adding a concern adds a part, not a field to copy.
 */
public sealed interface ServerState extends CborSerializable
        permits ServerState.Unregistered, ServerState.Active, ServerState.Removed {

    /** The state after {@code event}; {@code policy} is the service restart policy in force. */
    ServerState apply(ServerEvent event, RecoveryPolicy policy);

    /** No agent has attached under this id (or it was deleted and its history dropped). */
    record Unregistered() implements ServerState {
        @Override
        public ServerState apply(ServerEvent event, RecoveryPolicy policy) {
            if (event instanceof LifecycleEvent.Registered registered) {
                return Active.registered(registered);
            }
            throw new IllegalStateException("event " + event.getClass().getSimpleName() + " before registration");
        }
    }

    /** A registered server. */
    record Active(Identity identity, OperatorDetails details, Presence presence, AlertBook alerts,
            ServiceBook services, BackupBook backups) implements ServerState {
        public Active {
            requireNonNull(identity, "identity is null");
            details = details == null ? OperatorDetails.NONE : details;
            presence = presence == null ? Presence.NEVER_SEEN : presence;
            alerts = alerts == null ? AlertBook.NONE : alerts;
            services = services == null ? ServiceBook.EMPTY : services;
            // Snapshots taken before backups existed have none.
            backups = backups == null ? BackupBook.EMPTY : backups;
        }

        static Active registered(LifecycleEvent.Registered event) {
            return new Active(Identity.registered(event), OperatorDetails.NONE, Presence.NEVER_SEEN, AlertBook.NONE,
                    ServiceBook.EMPTY, BackupBook.EMPTY);
        }

        @Override
        public ServerState apply(ServerEvent event, RecoveryPolicy policy) {
            if (event instanceof IdentityEvent identityEvent) {
                return new Active(identity.apply(identityEvent), details, presence, alerts, services, backups);
            }
            if (event instanceof DetailsEvent detailsEvent) {
                return new Active(identity, details.apply(detailsEvent), presence, alerts, services, backups);
            }
            if (event instanceof PresenceEvent presenceEvent) {
                return new Active(identity, details, presence.apply(presenceEvent), alerts, services, backups);
            }
            if (event instanceof AlertEvent alertEvent) {
                return new Active(identity, details, presence, alerts.apply(alertEvent), services, backups);
            }
            if (event instanceof ServiceEvent serviceEvent) {
                return new Active(identity, details, presence, alerts, services.apply(serviceEvent, policy),
                        backups);
            }
            if (event instanceof BackupEvent backupEvent) {
                return new Active(identity, details, presence, alerts, services, backups.apply(backupEvent));
            }
            if (event instanceof LifecycleEvent.Deleted deleted) {
                return new Removed(deleted.at());
            }
            if (event instanceof CredentialEvent) {
                return this; // history only
            }
            throw new IllegalStateException("event " + event.getClass().getSimpleName() + " on a registered server");
        }

        /** The name people know the server by: the display name they gave it, else its hostname. */
        public String name() {
            return details.displayName() != null ? details.displayName() : identity.hostname();
        }
    }

    /** Deleted: refuses its agent and answers as an unknown server. */
    record Removed(Instant at) implements ServerState {
        @Override
        public ServerState apply(ServerEvent event, RecoveryPolicy policy) {
            return this; // nothing happens to a deleted server
        }
    }
}
