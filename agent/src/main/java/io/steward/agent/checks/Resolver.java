package io.steward.agent.checks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution as the probes see it: the system resolver in production, a fixed table in tests. */
@FunctionalInterface
public interface Resolver {
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of {@code host}, in the resolver's order; never empty. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
