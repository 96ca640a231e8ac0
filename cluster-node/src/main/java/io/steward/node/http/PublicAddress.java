package io.steward.node.http;

import static java.util.Objects.requireNonNull;

import io.steward.core.tls.CertificatePin;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * This node's address as browsers and agents reach it: which {@code Host} headers name it, and the agent URL to hand
 * out. A Host is taken on trust nowhere: a forged one (DNS rebinding, a confused proxy) must neither pass the Origin
 * check by matching a forged Origin nor end up in an enrollment command an admin copies to a server.
 *
 * <p>The node's names are the configured public URL's host and port; plus, on the bound port, loopback and the bind
 * address, or (bound to every interface) this machine's host names and interface addresses.
 */
public final class PublicAddress {
    /** A name, or an IPv6 address in brackets (an IPv4 one in brackets is not a valid Host). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\\]");
    private static final Pattern BRACKETS = Pattern.compile("^\\[|\\]$");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile("[0-9a-f.:]+");

    private final Supplier<String> configuredUrl;
    /** The last URL text seen and its parsed form, so a request does not parse it again. */
    private volatile Parsed parsed = new Parsed("", Optional.empty());
    private final boolean tls;
    private final IntSupplier boundPort;
    private final Set<String> directNames;
    private final Supplier<Optional<CertificatePin>> selfSignedPin;
    private final Supplier<Optional<String>> selfSignedPublicKeyPin;

    /**
     * @param publicUrl the configured public URL, or blank
     * @param boundPort the node's HTTP(S) port, known once bound
     * @param directNames host names and addresses that reach this node on {@code boundPort}
     * @param selfSignedPin the certificate pin agents need (empty for plain HTTP or a CA-issued certificate)
     */
    public PublicAddress(String publicUrl, boolean tls, IntSupplier boundPort, Set<String> directNames,
            Supplier<Optional<CertificatePin>> selfSignedPin) {
        this(() -> publicUrl, tls, boundPort, directNames, selfSignedPin, Optional::empty);
        publicUrl(); // a malformed configured URL stops the start
    }

    /**
     * @param publicUrl the public URL in force, read at each request (an admin may change it at runtime), or blank
     * @param selfSignedPublicKeyPin as {@code selfSignedPin}, the base64 SHA-256 of its public key (curl's pin)
     */
    public PublicAddress(Supplier<String> publicUrl, boolean tls, IntSupplier boundPort, Set<String> directNames,
            Supplier<Optional<CertificatePin>> selfSignedPin, Supplier<Optional<String>> selfSignedPublicKeyPin) {
        this.configuredUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.tls = tls;
        this.boundPort = requireNonNull(boundPort, "boundPort is null");
        Set<String> names = new HashSet<>();
        for (String name : directNames) {
            names.add(canonical(name));
        }
        names.addAll(Set.of("localhost", canonical("127.0.0.1"), canonical("::1")));
        this.directNames = Set.copyOf(names);
        this.selfSignedPin = requireNonNull(selfSignedPin, "selfSignedPin is null");
        this.selfSignedPublicKeyPin = requireNonNull(selfSignedPublicKeyPin, "selfSignedPublicKeyPin is null");
    }

    private record Parsed(String text, Optional<URI> url) {}

    /** The public URL in force, parsed. */
    private Optional<URI> publicUrl() {
        String text = configuredUrl.get();
        Parsed last = parsed;
        if (!last.text().equals(text)) {
            last = new Parsed(text, text.isBlank() ? Optional.empty() : Optional.of(parsePublicUrl(text)));
            parsed = last;
        }
        return last.url();
    }

    /** Names a node bound to {@code bind} answers to directly: the address itself, or this machine's all. */
    public static Set<String> directNames(String bind) {
        String bare = bind.strip().replaceAll("^\\[|\\]$", "");
        if (!bare.equals("0.0.0.0") && !bare.equals("::")) {
            return Set.of(bare);
        }
        Set<String> names = new HashSet<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // Addresses only.
        }
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    String text = address.getHostAddress();
                    int scope = text.indexOf('%');
                    names.add(scope >= 0 ? text.substring(0, scope) : text);
                }
            }
        } catch (SocketException e) {
            // Loopback still works; other addresses need steward.http.public-url.
        }
        return names;
    }

    /** Whether a request's {@code Host} header names this node (host and port). */
    public boolean allows(String hostHeader) {
        return allows(hostHeader, publicUrl());
    }

    /**
     * Whether {@code hostHeader} would still name this node with {@code candidateUrl} as its public URL (blank: none):
     * an admin must not save a URL that locks out the address they are using.
     */
    public boolean allowsWith(String hostHeader, String candidateUrl) {
        return allows(hostHeader,
                candidateUrl.isBlank() ? Optional.empty() : Optional.of(parsePublicUrl(candidateUrl)));
    }

    private boolean allows(String hostHeader, Optional<URI> publicUrl) {
        Optional<HostAndPort> parsed = HostAndPort.parse(hostHeader);
        if (parsed.isEmpty()) {
            return false;
        }
        HostAndPort host = parsed.get();
        if (publicUrl.isPresent()) {
            URI url = publicUrl.get();
            boolean https = url.getScheme().equals("https");
            if (host.name().equals(canonical(url.getHost()))
                    && host.portOr(https ? 443 : 80) == (url.getPort() >= 0 ? url.getPort() : https ? 443 : 80)) {
                return true;
            }
        }
        return directNames.contains(host.name()) && host.portOr(tls ? 443 : 80) == boundPort.getAsInt();
    }

    /** Whether {@code hostHeader}'s host part (whatever the port) names this node: for the redirect port. */
    boolean allowsName(String hostHeader) {
        Optional<URI> publicUrl = publicUrl();
        return HostAndPort.parse(hostHeader).map(host -> directNames.contains(host.name())
                || publicUrl.isPresent() && host.name().equals(canonical(publicUrl.get().getHost()))).orElse(false);
    }

    /**
     * The agent URL for an enrollment command: from the public URL when one is configured, else from the request's
     * Host when it names this node; empty when it does not (the caller refuses the request).
     */
    public Optional<String> agentHub(Optional<String> hostHeader) {
        Optional<URI> publicUrl = publicUrl();
        if (publicUrl.isPresent()) {
            URI url = publicUrl.get();
            String scheme = url.getScheme().equals("https") ? "wss" : "ws";
            String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
            return Optional.of(scheme + "://" + url.getRawAuthority() + path + "/ws/agent");
        }
        return hostHeader.filter(this::allows).map(host -> (tls ? "wss" : "ws") + "://" + host + "/ws/agent");
    }

    /**
     * The base of links to this node's web UI put in emails: the configured public URL, else the request's Host when
     * it names this node (the address the user reached it by, rather than a bind-derived loopback one); empty when
     * neither (the caller falls back to the node's derived URL).
     */
    public Optional<String> webBase(Optional<String> hostHeader) {
        Optional<URI> publicUrl = publicUrl();
        if (publicUrl.isPresent()) {
            return Optional.of(publicUrl.get().toString().replaceAll("/+$", ""));
        }
        return hostHeader.filter(this::allows).map(host -> (tls ? "https" : "http") + "://" + host.strip());
    }

    /** Where the redirect port sends a request: this node's HTTPS address, never a host the request made up. */
    String httpsBase(Optional<String> hostHeader) {
        Optional<URI> publicUrl = publicUrl();
        if (publicUrl.isPresent() && publicUrl.get().getScheme().equals("https")) {
            return publicUrl.get().toString().replaceAll("/+$", "");
        }
        String host = hostHeader.filter(this::allowsName).flatMap(HostAndPort::parse).map(HostAndPort::literal)
                .orElse("localhost");
        int port = boundPort.getAsInt();
        return "https://" + host + (port == 443 ? "" : ":" + port);
    }

    /** The pin agents must be given, when the node's certificate is self-signed. */
    public Optional<CertificatePin> selfSignedPin() {
        return tls ? selfSignedPin.get() : Optional.empty();
    }

    /** The public-key pin {@code curl --pinnedpubkey} needs, when the node's certificate is self-signed. */
    public Optional<String> selfSignedPublicKeyPin() {
        return tls ? selfSignedPublicKeyPin.get() : Optional.empty();
    }

    /** Whether the node serves HTTPS itself. */
    public boolean tls() {
        return tls;
    }

    private static URI parsePublicUrl(String text) {
        try {
            URI url = new URI(text.strip());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw new IllegalArgumentException("steward.http.public-url must be an http:// or https:// URL with "
                        + "a host, got '" + text + "'");
            }
            return url;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("steward.http.public-url is not a URL: " + e.getMessage(), e);
        }
    }

    /**
     * Lower case; an IPv6 literal in the JDK's one spelling (so {@code ::1} and {@code 0:0:0:0:0:0:0:1} agree). Never
     * a DNS lookup: this reads the {@code Host} header of requests nobody has authenticated yet, on the thread that
     * runs the node's actors. The JDK looks up any text it cannot parse as a literal ({@code 1.2.3.4.5},
     * {@code 999.0.0.1}), so IPv4 text is kept as written (a well-formed dotted quad is already in its one spelling;
     * anything else is a name that matches none of the node's), and an IPv6 candidate goes to the JDK in brackets,
     * which make it refuse a malformed one instead of looking it up.
     */
    static String canonical(String host) {
        String bare = BRACKETS.matcher(host.strip()).replaceAll("").toLowerCase(Locale.ROOT);
        if (bare.indexOf(':') >= 0 && IPV6_CANDIDATE.matcher(bare).matches()) {
            try {
                return InetAddress.getByName("[" + bare + "]").getHostAddress();
            } catch (UnknownHostException e) {
                return bare;
            }
        }
        return bare;
    }

    /** A parsed {@code Host} header. */
    private record HostAndPort(String name, String literal, OptionalInt port) {
        static Optional<HostAndPort> parse(String header) {
            String text = header.strip();
            String host;
            String port = null;
            if (text.startsWith("[")) {
                int end = text.indexOf(']');
                if (end < 0) {
                    return Optional.empty();
                }
                host = text.substring(0, end + 1);
                String rest = text.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return Optional.empty();
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = text.indexOf(':');
                host = colon < 0 ? text : text.substring(0, colon);
                port = colon < 0 ? null : text.substring(colon + 1);
            }
            if (host.isEmpty() || !HOST.matcher(host).matches()) {
                return Optional.empty();
            }
            if (port != null && !port.matches("\\d{1,5}")) {
                return Optional.empty();
            }
            return Optional.of(new HostAndPort(canonical(host), host,
                    port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port))));
        }

        int portOr(int fallback) {
            return port.orElse(fallback);
        }
    }
}
