package io.steward.node.server;

import io.steward.core.fleet.IpAddresses;
import io.steward.core.protocol.MetricsReport.HostInfo;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import io.steward.node.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a server is, as its agent reports it; a change is recorded as a {@code SystemChanged} fact (an upgrade, a
 * new kernel, a new IP address).
 *
 * @param addresses IPv4 then IPv6 addresses of all interfaces, without loopback and link-local ones (those say
 *     nothing about which server this is)
 */
public record SystemIdentity(
        @Nullable String osName,
        @Nullable String osVersion,
        @Nullable String kernel,
        @Nullable String architecture,
        @Nullable String cpuModel,
        int logicalCpus,
        List<String> addresses) implements CborSerializable {

    public SystemIdentity {
        // Events recorded before addresses were part of the identity replay with none.
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    static SystemIdentity of(HostInfo host, List<NetworkStats> interfaces) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (NetworkStats nic : interfaces) {
            for (String address : nic.ipv4()) {
                if (!address.startsWith("127.") && !address.startsWith("169.254.") && !v4.contains(address)) {
                    v4.add(address);
                }
            }
            for (String raw : nic.ipv6()) {
                String address = IpAddresses.canonical(raw);
                if (!address.equals("::1") && !address.startsWith("fe80:") && !v6.contains(address)) {
                    v6.add(address);
                }
            }
        }
        v4.addAll(v6);
        return new SystemIdentity(host.osName(), host.osVersion(), host.kernel(), host.architecture(), host.cpuModel(),
                host.logicalCpus(), v4);
    }

    /** "Debian GNU/Linux 12", or null before the first report. */
    String displayOs() {
        if (osName == null) {
            return null;
        }
        return osVersion == null || osVersion.isBlank() ? osName : osName + " " + osVersion;
    }
}
