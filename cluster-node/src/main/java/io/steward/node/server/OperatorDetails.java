package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.util.List;

/** What people call the server and how they file it: part of {@link ServerState.Active}. */
public record OperatorDetails(String displayName, String group, List<String> tags, String notes)
        implements CborSerializable {
    static final OperatorDetails NONE = new OperatorDetails(null, null, List.of(), null);

    public OperatorDetails {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    OperatorDetails apply(DetailsEvent event) {
        if (event instanceof DetailsEvent.Renamed renamed) {
            return new OperatorDetails(renamed.displayName(), group, tags, notes);
        }
        if (event instanceof DetailsEvent.Regrouped regrouped) {
            return new OperatorDetails(displayName, regrouped.group(), tags, notes);
        }
        if (event instanceof DetailsEvent.Retagged retagged) {
            return new OperatorDetails(displayName, group, retagged.tags(), notes);
        }
        return new OperatorDetails(displayName, group, tags, ((DetailsEvent.NotesChanged) event).notes());
    }
}
