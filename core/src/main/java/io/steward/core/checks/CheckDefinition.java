package io.steward.core.checks;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to check, how often and from where — the same JSON in the API and on the wire to the agent. Absent optional
 * fields take their defaults in the constructors (interval 60 s, retries 2, timeout 10 s but below half the interval,
 * vantages the node's local agent, warnDays 30/14/7/3/1); every bad value is refused with its field named.
 *
 * <p>Retries count per vantage: a vantage votes "down" only after {@code retries + 1} consecutive failed attempts
 * (see {@link VantageTally}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CheckDefinition.Http.class, name = "http"),
    @JsonSubTypes.Type(value = CheckDefinition.Tcp.class, name = "tcp"),
    @JsonSubTypes.Type(value = CheckDefinition.Tls.class, name = "tls"),
    @JsonSubTypes.Type(value = CheckDefinition.Dns.class, name = "dns")
})
public sealed interface CheckDefinition {

    String name();

    Duration interval();

    /** Failed attempts in a row a vantage tolerates before it votes down. */
    Integer retries();

    /** The limit of one attempt, every phase and redirect included. */
    Duration timeout();

    Vantages vantages();

    /** The wire name of the kind: {@code http}, {@code tcp}, {@code tls}, {@code dns}. */
    @JsonIgnore
    default String kindName() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /**
     * An HTTP(S) request and what its answer must be.
     *
     * @param expectStatus the status codes that count as up; empty for any 2xx
     * @param keyword text the body must contain (case-sensitive), if set
     * @param jsonCondition a condition on the JSON body, if set
     * @param followRedirects follow 3xx answers (up to 10 hops), every hop's certificate recorded; default true
     * @param acceptFingerprint a pinned SHA-256 certificate fingerprint accepted even when its chain is not trusted
     *     (a self-signed certificate); a trusted chain is accepted whatever its fingerprint
     * @param warnDays certificate expiry warning thresholds in days, for https URLs
     */
    record Http(String name, String url, HttpMethod method, Map<String, String> headers, List<Integer> expectStatus,
            @Nullable String keyword, @Nullable JsonCondition jsonCondition, Boolean followRedirects,
            @Nullable String acceptFingerprint, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval,
            Integer retries, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, Vantages vantages,
            List<Integer> warnDays) implements CheckDefinition {
        public Http {
            name = CheckRules.name(name);
            url = CheckRules.url(url).toString();
            method = method == null ? HttpMethod.GET : method;
            headers = CheckRules.headers(headers);
            expectStatus = CheckRules.expectStatus(expectStatus);
            keyword = CheckRules.keyword(keyword);
            followRedirects = followRedirects == null || followRedirects;
            acceptFingerprint = Fingerprint.normalise("acceptFingerprint", acceptFingerprint);
            interval = CheckRules.interval(interval);
            retries = CheckRules.retries(retries);
            timeout = CheckRules.timeout(timeout, interval);
            vantages = vantages == null ? Vantages.LOCAL : vantages;
            warnDays = CheckRules.warnDays(warnDays);
        }

        /** A GET of {@code url} with every default. */
        public static Http get(String name, String url) {
            return new Http(name, url, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public URI uri() {
            return URI.create(url);
        }

        /** Whether {@code status} counts as up. */
        public boolean accepts(int status) {
            return expectStatus.isEmpty() ? status >= 200 && status <= 299 : expectStatus.contains(status);
        }
    }

    /** A TCP connection to {@code host:port} that must be accepted. */
    record Tcp(String name, String host, Integer port, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval,
            Integer retries, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, Vantages vantages)
            implements CheckDefinition {
        public Tcp {
            name = CheckRules.name(name);
            host = CheckRules.host("host", host);
            if (port == null) {
                throw new IllegalArgumentException("port: required");
            }
            port = CheckRules.port("port", port, 0);
            interval = CheckRules.interval(interval);
            retries = CheckRules.retries(retries);
            timeout = CheckRules.timeout(timeout, interval);
            vantages = vantages == null ? Vantages.LOCAL : vantages;
        }
    }

    /**
     * A TLS handshake with {@code host:port} (every address the name resolves to), reporting the served certificate.
     *
     * @param port default 443
     * @param serverName the SNI name sent; default {@code host} (none for an IP address)
     */
    record Tls(String name, String host, Integer port, @Nullable String serverName, @Nullable String acceptFingerprint,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval, Integer retries,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, Vantages vantages, List<Integer> warnDays)
            implements CheckDefinition {
        public Tls {
            name = CheckRules.name(name);
            host = CheckRules.host("host", host);
            port = CheckRules.port("port", port, 443);
            serverName = serverName == null || serverName.isBlank() ? null : CheckRules.host("serverName", serverName);
            acceptFingerprint = Fingerprint.normalise("acceptFingerprint", acceptFingerprint);
            interval = CheckRules.interval(interval);
            retries = CheckRules.retries(retries);
            timeout = CheckRules.timeout(timeout, interval);
            vantages = vantages == null ? Vantages.LOCAL : vantages;
            warnDays = CheckRules.warnDays(warnDays);
        }
    }

    /**
     * A DNS query for {@code host}'s records of {@code recordType}.
     *
     * @param recordType default A
     * @param expect an answer that must be among those returned (names compare without case and trailing dot);
     *     without it any non-empty answer is up
     */
    record Dns(String name, String host, DnsRecordType recordType, @Nullable String expect,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval, Integer retries,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration timeout, Vantages vantages)
            implements CheckDefinition {
        public Dns {
            name = CheckRules.name(name);
            host = CheckRules.host("host", host);
            recordType = recordType == null ? DnsRecordType.A : recordType;
            if (expect != null && (expect.isBlank() || expect.length() > 1024 || CheckRules.hasControl(expect))) {
                throw new IllegalArgumentException("expect: 1 to 1024 characters on one line, or absent");
            }
            interval = CheckRules.interval(interval);
            retries = CheckRules.retries(retries);
            timeout = CheckRules.timeout(timeout, interval);
            vantages = vantages == null ? Vantages.LOCAL : vantages;
        }
    }
}
