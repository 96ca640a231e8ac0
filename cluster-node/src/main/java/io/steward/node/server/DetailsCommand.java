package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.node.serialization.CborSerializable;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** A person edits the server's details: handled by {@link DetailsHandler}. */
public sealed interface DetailsCommand extends ServerCommand {

    /** Edits the operator's details; only fields named in {@code patch.fields()} change. */
    record UpdateDetails(Patch patch, String by, ActorRef<StatusReply<ServerSummary>> replyTo)
            implements DetailsCommand, ServerCommand.Request<ServerSummary> {}

    /** Which details a patch sets. */
    enum Field { DISPLAY_NAME, GROUP, TAGS, NOTES }

    /** The details to set; a named field with a null value clears it. */
    record Patch(Set<Field> fields, String displayName, String group, List<String> tags, String notes)
            implements CborSerializable {
        public Patch {
            fields = Set.copyOf(requireNonNull(fields, "fields is null"));
            tags = tags == null ? null : List.copyOf(tags);
        }
    }
}
