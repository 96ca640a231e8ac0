package io.steward.node.http;

import io.steward.node.server.ServerSummary;
import java.util.List;

/**
 * Which server a name given by a person or a monitoring script means: its id, else its hostname or display name
 * (case-insensitive) when exactly one server has it.
 */
final class ServerNames {
    private ServerNames() {}

    /** What a name resolved to. */
    sealed interface Resolution {
        record Found(ServerSummary server) implements Resolution {}

        record NotFound() implements Resolution {}

        /** More than one server has the name; {@code ids} say which. */
        record Ambiguous(List<String> ids) implements Resolution {}
    }

    static Resolution resolve(List<ServerSummary> servers, String name) {
        String wanted = name.strip();
        for (ServerSummary server : servers) {
            if (server.id().equals(wanted)) {
                return new Resolution.Found(server);
            }
        }
        List<ServerSummary> named = servers.stream()
                .filter(server -> wanted.equalsIgnoreCase(server.hostname())
                        || wanted.equalsIgnoreCase(server.displayName()))
                .toList();
        if (named.isEmpty()) {
            return new Resolution.NotFound();
        }
        if (named.size() > 1) {
            return new Resolution.Ambiguous(named.stream().map(ServerSummary::id).sorted().toList());
        }
        return new Resolution.Found(named.get(0));
    }

    /** How a server is named to people: its display name, else its hostname. */
    static String shown(ServerSummary server) {
        return server.displayName() != null && !server.displayName().isBlank()
                ? server.displayName() : server.hostname();
    }
}
