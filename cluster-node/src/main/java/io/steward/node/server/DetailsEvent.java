package io.steward.node.server;

import java.time.Instant;
import java.util.List;

/** A person edited what the server is called and how it is filed; applies to {@link OperatorDetails}. */
public sealed interface DetailsEvent extends ServerEvent {

    /** The person who made the change. */
    String by();

    record Renamed(String displayName, String by, Instant at) implements DetailsEvent {}

    record Regrouped(String group, String by, Instant at) implements DetailsEvent {}

    record Retagged(List<String> tags, String by, Instant at) implements DetailsEvent {}

    record NotesChanged(String notes, String by, Instant at) implements DetailsEvent {}
}
