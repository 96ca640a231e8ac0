package io.steward.node.http;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Headers every response carries (the dashboard and the API alike). The policy allows scripts, styles and
 * connections from the node only: no inline script (the dashboard has none, see frontend/index.html), no framing
 * (clickjacking), no MIME sniffing, no full URLs in the Referer to other sites.
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            // The favicon is a data: URI in index.html.
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    /** One year; browsers ignore it on a connection with certificate errors (RFC 6797 8.1), so a self-signed node is safe. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    private SecurityHeaders() {}

    static List<HttpHeader> of(boolean tls) {
        List<HttpHeader> headers = new ArrayList<>(List.of(
                RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("Referrer-Policy", "same-origin"),
                // For browsers that predate frame-ancestors.
                RawHeader.create("X-Frame-Options", "DENY")));
        if (tls) {
            headers.add(RawHeader.create("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY));
        }
        return List.copyOf(headers);
    }
}
