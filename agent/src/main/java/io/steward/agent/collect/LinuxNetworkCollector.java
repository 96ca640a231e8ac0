package io.steward.agent.collect;

import io.steward.core.fleet.IpAddresses;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import oshi.hardware.NetworkIF;

/**
 * Every network interface, as {@link NetworkCollector} reports it: the list with addresses and MAC comes from OSHI
 * once a minute, the counters each cycle from one read of /proc/net/dev (OSHI reads fourteen sysfs files per
 * interface), and the state from /sys/class/net/NAME/operstate.
 */
final class LinuxNetworkCollector implements Collector<List<NetworkStats>> {
    private static final long RELIST_NANOS = Duration.ofMinutes(1).toNanos();
    /** rx bytes, tx bytes, rx packets, tx packets, rx errors, tx errors. */
    static final int COUNTERS = 6;

    private final Supplier<List<NetworkIF>> lister;
    private final ProcFiles files = new ProcFiles(4096);
    private final RateTracker rates = new RateTracker();
    private Listed[] interfaces;
    private String[] names;
    private long[][] counters;
    private long listedAt;

    /** What the minute's listing says of one interface. */
    private record Listed(String name, List<String> ipv4, List<String> ipv6, String mac, String operstatePath) {}

    LinuxNetworkCollector(Supplier<List<NetworkIF>> lister) {
        this.lister = lister;
        list();
    }

    private void list() {
        List<NetworkIF> listed = lister.get();
        interfaces = new Listed[listed.size()];
        names = new String[listed.size()];
        counters = new long[listed.size()][COUNTERS];
        for (int i = 0; i < interfaces.length; i++) {
            NetworkIF networkInterface = listed.get(i);
            // OSHI gives Java's long form (fd00:0:0:0:0:0:0:2); people read and search the short one.
            interfaces[i] = new Listed(networkInterface.getName(), List.of(networkInterface.getIPv4addr()),
                    Arrays.stream(networkInterface.getIPv6addr()).map(IpAddresses::canonical).toList(),
                    NetworkCollector.mac(networkInterface.getMacaddr()),
                    "/sys/class/net/" + networkInterface.getName() + "/operstate");
            names[i] = networkInterface.getName();
            // Until /proc/net/dev is read, OSHI's own reading stands (the rates start from zero either way).
            counters[i] = new long[] {networkInterface.getBytesRecv(), networkInterface.getBytesSent(),
                    networkInterface.getPacketsRecv(), networkInterface.getPacketsSent(),
                    networkInterface.getInErrors(), networkInterface.getOutErrors()};
        }
        listedAt = System.nanoTime();
    }

    @Override
    public List<NetworkStats> collect() {
        if (System.nanoTime() - listedAt > RELIST_NANOS) {
            list();
        }
        long now = System.currentTimeMillis();
        try {
            parseNetDev(files.read("/proc/net/dev"), names, counters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<NetworkStats> result = new ArrayList<>(interfaces.length);
        for (int i = 0; i < interfaces.length; i++) {
            Listed listed = interfaces[i];
            long[] count = counters[i];
            double[] perSecond = rates.rates(listed.name(), now, count[0], count[1], count[2], count[3]);
            boolean hasAddresses = !listed.ipv4().isEmpty() || !listed.ipv6().isEmpty();
            result.add(new NetworkStats(listed.name(), listed.ipv4(), listed.ipv6(), listed.mac(),
                    NetworkCollector.isUp(operStatus(listed.operstatePath()), hasAddresses),
                    Percent.round2(perSecond[0]), Percent.round2(perSecond[1]),
                    Percent.round2(perSecond[2]), Percent.round2(perSecond[3]),
                    Math.max(0, count[4]), Math.max(0, count[5])));
        }
        rates.endCycle();
        return result;
    }

    private NetworkIF.IfOperStatus operStatus(String path) {
        try {
            return parseOperState(files.read(path));
        } catch (IOException e) {
            return NetworkIF.IfOperStatus.UNKNOWN; // gone since the listing, as OSHI would keep it
        }
    }

    /** sysfs operstate ("up\n") as OSHI maps it; anything unrecognised is UNKNOWN. */
    static NetworkIF.IfOperStatus parseOperState(ProcText text) {
        if (text.startsWith("up")) {
            return NetworkIF.IfOperStatus.UP;
        } else if (text.startsWith("down")) {
            return NetworkIF.IfOperStatus.DOWN;
        } else if (text.startsWith("testing")) {
            return NetworkIF.IfOperStatus.TESTING;
        } else if (text.startsWith("dormant")) {
            return NetworkIF.IfOperStatus.DORMANT;
        } else if (text.startsWith("notpresent")) {
            return NetworkIF.IfOperStatus.NOT_PRESENT;
        } else if (text.startsWith("lowerlayerdown")) {
            return NetworkIF.IfOperStatus.LOWER_LAYER_DOWN;
        }
        return NetworkIF.IfOperStatus.UNKNOWN;
    }

    /**
     * Parses /proc/net/dev ("  eth0: rxBytes rxPackets rxErrs ... txBytes txPackets txErrs ...") into the rows of
     * {@code counters} whose {@code names} match (see {@link #COUNTERS} for the order); interfaces not in the text
     * keep their previous counters, so they read as idle rather than as a reset.
     */
    static void parseNetDev(ProcText text, String[] names, long[][] counters) {
        text.nextLine(); // two header lines
        text.nextLine();
        byte[] bytes = text.bytes();
        while (!text.atEnd()) {
            text.skipBlanks();
            int start = text.position();
            int colon = start;
            while (colon < text.end() && bytes[colon] != ':' && bytes[colon] != '\n') {
                colon++;
            }
            int row = -1;
            for (int i = 0; i < names.length; i++) {
                if (text.regionEquals(start, colon - start, names[i])) {
                    row = i;
                    break;
                }
            }
            if (row >= 0 && colon < text.end() && bytes[colon] == ':') {
                text.position(colon + 1);
                long[] into = counters[row];
                long rxBytes = text.nextLong();
                long rxPackets = text.nextLong();
                long rxErrors = text.nextLong();
                for (int skip = 0; skip < 5; skip++) { // drop fifo frame compressed multicast
                    text.nextLong();
                }
                into[0] = rxBytes;
                into[2] = rxPackets;
                into[4] = rxErrors;
                into[1] = text.nextLong();
                into[3] = text.nextLong();
                into[5] = text.nextLong();
            }
            text.nextLine();
        }
    }
}
