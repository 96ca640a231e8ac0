package io.steward.node.checks;

import io.steward.core.checks.Vantages;
import io.steward.node.server.ServerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which servers a check runs from, given its vantage selection and the fleet as it is now. Pure. */
public final class VantageResolver {
    private VantageResolver() {}

    /**
     * The server ids of {@code selection} in fleet order ({@code servers}: in the listed order, known ones only).
     *
     * @param localVantages the servers that are a node's own local agent
     */
    public static List<String> resolve(Vantages selection, List<ServerSummary> fleet, List<String> localVantages) {
        List<String> ids = new ArrayList<>();
        switch (selection.kind()) {
            case ALL -> fleet.forEach(server -> ids.add(server.id()));
            case SERVERS -> selection.values().forEach(wanted -> fleet.stream()
                    .filter(server -> server.id().equals(wanted)).findFirst().ifPresent(server -> ids.add(wanted)));
            case GROUP -> fleet.stream().filter(server -> Objects.equals(server.group(), selection.values().get(0)))
                    .forEach(server -> ids.add(server.id()));
            case TAG -> fleet.stream().filter(server -> server.tags().stream().anyMatch(selection.values()::contains))
                    .forEach(server -> ids.add(server.id()));
            case LOCAL -> fleet.stream().filter(server -> localVantages.contains(server.id()))
                    .forEach(server -> ids.add(server.id()));
        }
        return List.copyOf(ids);
    }
}
