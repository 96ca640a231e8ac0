package io.steward.node.notify;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where notifications may go ({@code steward.notify.egress}): a destination whose host name or any of whose
 * addresses matches {@code deny} (by default link-local and cloud-metadata addresses) is refused, unless it matches
 * {@code allow}. Host names are resolved and every address checked, at save time and again at send time, and the
 * HTTP sender connects only to the addresses checked here, so a DNS answer that changes in between (rebinding)
 * cannot point a delivery at the metadata service.
 */
public final class EgressPolicy {

    /** Looks a host name up; the system resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A destination this policy refuses; an {@link UnknownHostException} so HTTP clients pass it through. */
    public static final class Refused extends UnknownHostException {
        public Refused(String message) {
            super(message);
        }
    }

    /** One entry of a list: an address block ({@code 169.254.0.0/16}, {@code fd00:ec2::254}) or a host name. */
    record Rule(String text, byte[] network, int prefix, String hostName) {

        static Rule parse(String text) {
            String entry = text.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("an empty entry");
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            if (!isAddressLiteral(address)) {
                if (slash >= 0) {
                    throw new IllegalArgumentException("\"" + text + "\" is neither an address block nor a host name");
                }
                return new Rule(text, null, 0, trimDot(entry));
            }
            byte[] network = literal(address);
            int bits = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" has no valid prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0.." + bits);
            }
            return new Rule(text, network, prefix, null);
        }

        boolean matchesName(String host) {
            return hostName != null && (host.equals(hostName) || host.endsWith("." + hostName));
        }

        boolean matches(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (network == null || bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Rule> deny;
    private final List<Rule> allow;
    private final Resolver resolver;

    public EgressPolicy(List<String> deny, List<String> allow, Resolver resolver) {
        this.deny = rules("steward.notify.egress.deny", deny);
        this.allow = rules("steward.notify.egress.allow", allow);
        this.resolver = requireNonNull(resolver, "resolver is null");
    }

    public static EgressPolicy fromConfig(Config config) {
        Config egress = config.getConfig("steward.notify.egress");
        return new EgressPolicy(egress.getStringList("deny"), egress.getStringList("allow"),
                InetAddress::getAllByName);
    }

    /**
     * The addresses a delivery to {@code host} may connect to: all of them, checked; throws {@link Refused} when the
     * name or any address is denied (one bad address in a round-robin answer is enough to refuse).
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = trimDot(unbracket(host).toLowerCase(Locale.ROOT));
        boolean literal = isAddressLiteral(name);
        if (!literal && !allowedByName(name) && deny.stream().anyMatch(rule -> rule.matchesName(name))) {
            throw new Refused(host + " is a denied destination (steward.notify.egress.deny); add it to"
                    + " steward.notify.egress.allow to send there");
        }
        InetAddress[] addresses = literal ? new InetAddress[] {InetAddress.getByAddress(literal(name))}
                : resolver.resolve(name);
        for (InetAddress address : addresses) {
            if (!allowedByName(name) && allow.stream().noneMatch(rule -> rule.matches(address))
                    && deny.stream().anyMatch(rule -> rule.matches(address))) {
                throw new Refused(host + (literal ? "" : " resolves to " + address.getHostAddress() + ", which")
                        + " is a link-local, cloud-metadata or otherwise denied address"
                        + " (steward.notify.egress.deny); add it to steward.notify.egress.allow to send there");
            }
        }
        return addresses;
    }

    /**
     * Save-time check of a destination ({@code field} names it in the error): refused when denied; a host that does
     * not resolve now passes (the send will say so), since DNS may be down or the name not yet published.
     */
    public void check(String field, String hostOrUrl) {
        String host = hostOrUrl.contains("://") ? hostOfUrl(hostOrUrl) : hostOrUrl;
        if (host == null || host.isBlank()) {
            return;
        }
        try {
            resolve(host);
        } catch (Refused e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            // not resolvable now: checked again at send time
        }
    }

    private boolean allowedByName(String name) {
        return allow.stream().anyMatch(rule -> rule.matchesName(name));
    }

    private static String hostOfUrl(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static List<Rule> rules(String key, List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : entries) {
            try {
                rules.add(Rule.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String trimDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Dotted IPv4 or any IPv6 text: parsed without a lookup. */
    private static boolean isAddressLiteral(String text) {
        return text.contains(":") || text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private static byte[] literal(String text) {
        try {
            // A literal never triggers a lookup; IPv4-mapped IPv6 (::ffff:a.b.c.d) comes back as the IPv4 address.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
        }
    }
}
