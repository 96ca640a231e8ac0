package io.steward.agent.collect;

import io.steward.core.fleet.IpAddresses;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/**
 * Every network interface (loopback included): addresses, state, traffic and packet rates, error counters. The list
 * is kept and refreshed in place; it is listed again every minute for new interfaces and changed addresses.
 */
final class NetworkCollector implements Collector<List<NetworkStats>> {
    private static final long RELIST_NANOS = Duration.ofMinutes(1).toNanos();

    private final HardwareAbstractionLayer hardware;
    private final RateTracker rates = new RateTracker();
    private List<NetworkIF> interfaces;
    private long listedAt;

    NetworkCollector(HardwareAbstractionLayer hardware) {
        this.hardware = hardware;
        this.interfaces = hardware.getNetworkIFs(true);
        this.listedAt = System.nanoTime();
    }

    @Override
    public List<NetworkStats> collect() {
        if (System.nanoTime() - listedAt > RELIST_NANOS) {
            interfaces = hardware.getNetworkIFs(true);
            listedAt = System.nanoTime();
        } else {
            for (NetworkIF networkInterface : interfaces) {
                networkInterface.updateAttributes();
            }
        }
        List<NetworkStats> result = new ArrayList<>(interfaces.size());
        for (NetworkIF networkInterface : interfaces) {
            String name = networkInterface.getName();
            double[] perSecond = rates.rates(name, networkInterface.getTimeStamp(),
                    networkInterface.getBytesRecv(), networkInterface.getBytesSent(),
                    networkInterface.getPacketsRecv(), networkInterface.getPacketsSent());
            List<String> ipv4 = Arrays.asList(networkInterface.getIPv4addr());
            // OSHI gives Java's long form (fd00:0:0:0:0:0:0:2); people read and search the short one.
            List<String> ipv6 = Arrays.stream(networkInterface.getIPv6addr()).map(IpAddresses::canonical).toList();
            result.add(new NetworkStats(name, ipv4, ipv6, mac(networkInterface.getMacaddr()),
                    isUp(networkInterface.getIfOperStatus(), !ipv4.isEmpty() || !ipv6.isEmpty()),
                    Percent.round2(perSecond[0]), Percent.round2(perSecond[1]),
                    Percent.round2(perSecond[2]), Percent.round2(perSecond[3]),
                    Math.max(0, networkInterface.getInErrors()), Math.max(0, networkInterface.getOutErrors())));
        }
        rates.endCycle();
        return result;
    }

    /** Linux reports loopback's state as "unknown": an interface with addresses in that state is up. */
    static boolean isUp(NetworkIF.IfOperStatus status, boolean hasAddresses) {
        return status == NetworkIF.IfOperStatus.UP || (status == NetworkIF.IfOperStatus.UNKNOWN && hasAddresses);
    }

    static String mac(String mac) {
        return mac == null || mac.isBlank() || mac.equalsIgnoreCase("unknown") ? null : mac;
    }
}
