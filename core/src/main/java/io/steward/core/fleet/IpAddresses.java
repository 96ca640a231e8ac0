package io.steward.core.fleet;

import java.util.Locale;

/** Address text as people read and search it. */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * An IPv6 address in its canonical short form (RFC 5952: lower case, no leading zeros, the longest run of two or
     * more zero groups as {@code ::}), e.g. Java's {@code fd00:0:0:0:0:0:0:2} becomes {@code fd00::2}. Anything that
     * is not a full eight-group address (IPv4, already compressed, garbage) is returned unchanged.
     */
    public static String canonical(String address) {
        if (address == null) {
            return null;
        }
        int percent = address.indexOf('%');
        String zone = percent < 0 ? "" : address.substring(percent);
        String[] groups = (percent < 0 ? address : address.substring(0, percent)).split(":", -1);
        if (groups.length != 8) {
            return address;
        }
        String[] shortened = new String[8];
        for (int i = 0; i < 8; i++) {
            if (groups[i].isEmpty() || groups[i].length() > 4 || !groups[i].matches("[0-9a-fA-F]+")) {
                return address;
            }
            shortened[i] = Integer.toHexString(Integer.parseInt(groups[i], 16));
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (!shortened[i].equals("0")) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && shortened[i].equals("0")) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(shortened[i]);
        }
        return text.toString().toLowerCase(Locale.ROOT) + zone;
    }
}
