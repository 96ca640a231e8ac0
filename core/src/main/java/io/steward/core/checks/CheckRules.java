package io.steward.core.checks;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The limits every check definition is held to, and the checks that enforce them. Each failure is an
 * {@link IllegalArgumentException} whose message starts with the field's name, so the API can answer a 400 naming it.
 */
public final class CheckRules {
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(500);
    public static final int DEFAULT_RETRIES = 2;
    public static final int MAX_RETRIES = 10;
    public static final int MAX_NAME = 100;
    public static final int MAX_URL = 2048;
    public static final int MAX_HEADERS = 32;
    public static final int MAX_HEADER_NAME = 128;
    public static final int MAX_HEADER_VALUE = 4096;
    /** All header names and values together. */
    public static final int MAX_HEADERS_TOTAL = 16 * 1024;
    public static final int MAX_KEYWORD = 1024;
    public static final int MAX_WARN_DAYS = 10;
    public static final List<Integer> DEFAULT_WARN_DAYS = List.of(30, 14, 7, 3, 1);

    /** A DNS name, an IPv4 address or an IPv6 address (without brackets); never something a shell could misread. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|[0-9A-Fa-f:.]{2,45}");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the prober writes itself: a second copy would make the request ambiguous. */
    private static final List<String> RESERVED_HEADERS =
            List.of("content-length", "transfer-encoding", "connection", "te", "upgrade", "trailer");

    private CheckRules() {}

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME || hasControl(stripped)) {
            throw new IllegalArgumentException("name: at most " + MAX_NAME + " characters on one line");
        }
        return stripped;
    }

    static Duration interval(Duration interval) {
        Duration value = interval == null ? DEFAULT_INTERVAL : interval;
        if (value.compareTo(MIN_INTERVAL) < 0 || value.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval: must be from 10 s to 1 h (PT10S to PT1H), was " + value);
        }
        return value;
    }

    /** The timeout, by default 10 s but never more than half the interval; always shorter than the interval. */
    static Duration timeout(Duration timeout, Duration interval) {
        if (timeout == null) {
            Duration half = interval.dividedBy(2);
            return DEFAULT_TIMEOUT.compareTo(half) < 0 ? DEFAULT_TIMEOUT : half;
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeout: must be at least 0.5 s (PT0.5S), was " + timeout);
        }
        if (timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("timeout: must be shorter than the interval (" + interval
                    + "), was " + timeout);
        }
        return timeout;
    }

    static int retries(Integer retries) {
        int value = retries == null ? DEFAULT_RETRIES : retries;
        if (value < 0 || value > MAX_RETRIES) {
            throw new IllegalArgumentException("retries: must be from 0 to " + MAX_RETRIES + ", was " + value);
        }
        return value;
    }

    static String host(String field, String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(field + ": required");
        }
        String stripped = host.strip();
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
            stripped = stripped.substring(1, stripped.length() - 1);
        }
        if (!HOST.matcher(stripped).matches() || (stripped.contains(":") && !stripped.matches("[0-9A-Fa-f:.]+"))) {
            throw new IllegalArgumentException(field + ": '" + clip(stripped) + "' is not a host name or an IP address");
        }
        return stripped.toLowerCase(Locale.ROOT);
    }

    static int port(String field, Integer port, int defaultPort) {
        int value = port == null ? defaultPort : port;
        if (value < 1 || value > 65_535) {
            throw new IllegalArgumentException(field + ": must be from 1 to 65535, was " + value);
        }
        return value;
    }

    /** An absolute http or https URL with a host, without credentials (those belong in a header). */
    static URI url(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: required");
        }
        String stripped = url.strip();
        if (stripped.length() > MAX_URL || hasControl(stripped)) {
            throw new IllegalArgumentException("url: at most " + MAX_URL + " characters on one line");
        }
        URI uri;
        try {
            uri = new URI(stripped);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: '" + clip(stripped) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url: the scheme must be http or https, was '" + clip(scheme) + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url: '" + clip(stripped) + "' has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url: credentials in the URL are not accepted; send an Authorization"
                    + " header instead");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("url: the port must be from 1 to 65535");
        }
        return uri;
    }

    static Map<String, String> headers(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        if (headers.size() > MAX_HEADERS) {
            throw new IllegalArgumentException("headers: at most " + MAX_HEADERS + " headers");
        }
        int total = 0;
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue() == null ? "" : header.getValue();
            if (name == null || name.length() > MAX_HEADER_NAME || !TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("headers: '" + clip(String.valueOf(name))
                        + "' is not a header name (letters, digits and - at most " + MAX_HEADER_NAME + ")");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("headers." + name + ": set by the prober itself");
            }
            if (value.length() > MAX_HEADER_VALUE || hasControl(value)) {
                throw new IllegalArgumentException("headers." + name + ": at most " + MAX_HEADER_VALUE
                        + " characters on one line");
            }
            total += name.length() + value.length();
            checked.put(name, value);
        }
        if (total > MAX_HEADERS_TOTAL) {
            throw new IllegalArgumentException("headers: at most " + MAX_HEADERS_TOTAL + " characters in all");
        }
        return Collections.unmodifiableMap(checked);
    }

    static List<Integer> expectStatus(List<Integer> expectStatus) {
        if (expectStatus == null || expectStatus.isEmpty()) {
            return List.of();
        }
        if (expectStatus.size() > 50) {
            throw new IllegalArgumentException("expectStatus: at most 50 status codes");
        }
        for (Integer status : expectStatus) {
            if (status == null || status < 100 || status > 599) {
                throw new IllegalArgumentException("expectStatus: status codes are from 100 to 599, was " + status);
            }
        }
        return List.copyOf(expectStatus);
    }

    static String keyword(String keyword) {
        if (keyword == null || keyword.isEmpty()) {
            return null;
        }
        if (keyword.length() > MAX_KEYWORD) {
            throw new IllegalArgumentException("keyword: at most " + MAX_KEYWORD + " characters");
        }
        return keyword;
    }

    /** Distinct day counts from 1 to 365, largest first. */
    static List<Integer> warnDays(List<Integer> warnDays) {
        if (warnDays == null) {
            return DEFAULT_WARN_DAYS;
        }
        if (warnDays.size() > MAX_WARN_DAYS) {
            throw new IllegalArgumentException("warnDays: at most " + MAX_WARN_DAYS + " thresholds");
        }
        List<Integer> sorted = new ArrayList<>();
        for (Integer days : warnDays) {
            if (days == null || days < 1 || days > 365) {
                throw new IllegalArgumentException("warnDays: each threshold is from 1 to 365 days, was " + days);
            }
            if (!sorted.contains(days)) {
                sorted.add(days);
            }
        }
        sorted.sort(Comparator.reverseOrder());
        return List.copyOf(sorted);
    }

    public static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
