package io.steward.node.notify;

import io.steward.node.serialization.CborSerializable;
import java.time.Instant;

/** One line of the in-app inbox (the bell); published to every browser session as it is written. */
public record InboxItem(long id, Instant at, String serverId, String serverName, String severity, String kind,
        String text) implements CborSerializable {}
