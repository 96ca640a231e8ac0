package io.steward.core.alerting;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What scope matching needs to know about a server. */
public record ServerFacts(String id, String group, List<String> tags) {
    public ServerFacts {
        requireNonNull(id, "id is null");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
