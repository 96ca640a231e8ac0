package io.steward.core.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key a client address is throttled under: an IPv4 address as is, an IPv6 address by its /64 (one host is
 * usually given a whole /64, so per-address limits keyed by the full address would let it rotate through 2^64 keys).
 */
public final class AddressKey {
    private AddressKey() {}

    /** {@code address} is an IP literal as a socket reports it; anything else is used verbatim. */
    public static String of(String address) {
        String bare = address.strip();
        if (bare.indexOf(':') < 0) {
            return bare;
        }
        int scope = bare.indexOf('%');
        try {
            // A literal: parsed, never looked up.
            InetAddress parsed = InetAddress.getByName(scope < 0 ? bare : bare.substring(0, scope));
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress();
            }
            byte[] bytes = parsed.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return bare;
        }
    }
}
