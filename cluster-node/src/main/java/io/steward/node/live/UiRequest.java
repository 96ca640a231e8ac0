package io.steward.node.live;

import org.jspecify.annotations.Nullable;

/**
 * What a browser may ask on {@code /ws/ui}: {@code watch-fleet}, {@code unwatch-fleet}, {@code watch-server} and
 * {@code unwatch-server} (these two with a {@code serverId}). Anything else is answered with an error frame.
 */
public record UiRequest(String type, @Nullable String serverId) {}
