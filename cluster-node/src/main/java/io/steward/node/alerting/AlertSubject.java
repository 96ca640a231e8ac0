package io.steward.node.alerting;

import io.steward.node.serialization.CborSerializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The server an alert event is about, as it was named and grouped when the event happened: notifications say
 * "where" and are routed by group and tag without asking the entity again.
 */
public record AlertSubject(String name, @Nullable String group, List<String> tags) implements CborSerializable {
    public AlertSubject {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
