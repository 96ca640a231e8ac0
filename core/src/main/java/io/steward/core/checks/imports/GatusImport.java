package io.steward.core.checks.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.DnsRecordType;
import io.steward.core.checks.HttpMethod;
import io.steward.core.checks.Vantages;
import io.steward.core.checks.imports.GatusConditions.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Converts a Gatus configuration file (config.yaml) into Steward checks. Each of {@code endpoints} becomes an HTTP
 * check ({@code http://}, {@code https://}), a TCP check ({@code tcp://host:port}), a TLS check
 * ({@code tls://host:port}) or a DNS check (an endpoint with {@code dns:}), its {@code conditions} read by
 * {@link GatusConditions}. YAML anchors and merge keys ({@code <<: *defaults}), which Gatus documents for shared
 * settings, are resolved. Other endpoint types, external endpoints and suites are skipped with the reason.
 */
public final class GatusImport {
    /** An environment variable reference, which Gatus fills in from its environment when it starts. */
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{[^}]*}|[A-Za-z0-9_]+|.)");
    private static final int DEFAULT_FAILURE_THRESHOLD = 3;

    private GatusImport() {}

    /** The checks of configuration {@code yaml}, run from the definitions' default vantages. */
    public static ImportResult parse(String yaml) {
        return convert(yaml, null);
    }

    /** The checks of configuration {@code yaml}, each run from {@code vantages}. */
    public static ImportResult parse(String yaml, Vantages vantages) {
        return convert(yaml, requireNonNull(vantages, "vantages is null"));
    }

    private static ImportResult convert(String yaml, @Nullable Vantages vantages) {
        JsonNode root = ImportInput.yaml(yaml);
        if (!root.isObject() || !(root.has("endpoints") || root.has("external-endpoints")
                || root.has("suites"))) {
            throw new IllegalArgumentException("endpoints: required; expected a Gatus configuration (config.yaml)"
                    + " with a list of endpoints");
        }
        List<JsonNode> endpoints = ImportInput.entries(root, "endpoints", "endpoints");
        List<JsonNode> external = ImportInput.entries(root, "external-endpoints", "external endpoints");
        List<JsonNode> suites = ImportInput.entries(root, "suites", "suites");
        int entries = endpoints.size() + external.size() + suites.size();
        if (entries > ImportInput.MAX_ENTRIES) {
            throw new IllegalArgumentException("endpoints: at most " + ImportInput.MAX_ENTRIES
                    + " endpoints, external endpoints and suites in all, was " + entries);
        }
        List<ImportResult.Imported> checks = new ArrayList<>();
        List<ImportResult.Skipped> skipped = new ArrayList<>();
        for (int index = 0; index < endpoints.size(); index++) {
            JsonNode endpoint = endpoints.get(index);
            String label = Fields.label(endpoint, "name", "(endpoint " + (index + 1) + ")");
            if (!endpoint.isObject()) {
                skipped.add(new ImportResult.Skipped(label, "not an endpoint: a mapping was expected"));
                continue;
            }
            List<String> notes = new ArrayList<>();
            try {
                CheckDefinition definition = definition(root, endpoint, vantages, notes);
                checks.add(new ImportResult.Imported(definition,
                        Fields.group(literal(Fields.text(endpoint, "group"))), notes));
            } catch (Skip skip) {
                skipped.add(new ImportResult.Skipped(label, skip.reason()));
            } catch (IllegalArgumentException invalid) {
                skipped.add(new ImportResult.Skipped(label, "not a valid Steward check: " + invalid.getMessage()));
            }
        }
        for (int index = 0; index < external.size(); index++) {
            skipped.add(new ImportResult.Skipped(
                    Fields.label(external.get(index), "name", "(external endpoint " + (index + 1) + ")"),
                    "an external endpoint: its results are pushed to Gatus; Steward's checks reach out"));
        }
        for (int index = 0; index < suites.size(); index++) {
            int steps = suites.get(index).path("endpoints").size();
            skipped.add(new ImportResult.Skipped(Fields.label(suites.get(index), "name", "(suite " + (index + 1) + ")"),
                    "a suite of " + steps + " chained requests; Steward's checks are single requests"));
        }
        return new ImportResult(checks, skipped);
    }

    private static CheckDefinition definition(JsonNode root, JsonNode endpoint, @Nullable Vantages vantages,
            List<String> notes) {
        if (!Fields.flag(endpoint, "enabled", true)) {
            throw new Skip("disabled in Gatus (enabled: false); left out so that it does not start running");
        }
        String url = expanded(Fields.nonBlank(endpoint, "url"), "url");
        if (url == null) {
            throw new Skip("url: required");
        }
        Target target = target(endpoint, url);
        String name = literal(Fields.name(endpoint, "name", notes));
        JsonNode client = endpoint.path("client");
        client(client, target, notes);
        Timing timing = Timing.of(duration(endpoint, "interval"), retries(root, endpoint, notes),
                duration(client, "timeout"), notes);
        GatusConditions conditions = GatusConditions.read(conditions(endpoint), target, notes);
        if (endpoint.path("maintenance-windows").size() > 0) {
            notes.add("maintenance windows not imported: add them under Steward's maintenance windows");
        }
        return switch (target) {
            case HTTP, HTTPS -> http(endpoint, name, url, client, conditions, timing, vantages);
            case TCP -> {
                if (Fields.nonBlank(endpoint, "body") != null) {
                    notes.add("the body sent after connecting is not imported: Steward's TCP check only connects");
                }
                HostPort address = HostPort.of(url, "tcp://");
                yield new CheckDefinition.Tcp(name, address.host(), address.port(), timing.interval(),
                        timing.retries(), timing.timeout(), vantages);
            }
            case TLS -> {
                if (Fields.nonBlank(endpoint, "body") != null) {
                    notes.add("the body sent after the handshake is not imported: Steward's TLS check only shakes"
                            + " hands");
                }
                HostPort address = HostPort.of(url, "tls://");
                yield new CheckDefinition.Tls(name, address.host(), address.port(), null, null, timing.interval(),
                        timing.retries(), timing.timeout(), vantages, conditions.warnDays());
            }
            case DNS -> dns(endpoint, name, url, conditions, timing, vantages, notes);
        };
    }

    /** Which check the endpoint becomes, by Gatus's own rule: a {@code dns} section first, then the URL's scheme. */
    private static Target target(JsonNode endpoint, String url) {
        if (endpoint.hasNonNull("dns")) {
            return Target.DNS;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        String scheme = lower.contains("://") ? lower.substring(0, lower.indexOf("://")) : "";
        return switch (scheme) {
            case "http" -> Target.HTTP;
            case "https" -> Target.HTTPS;
            case "tcp" -> Target.TCP;
            case "tls" -> Target.TLS;
            case "icmp" -> throw new Skip("ping (icmp://) endpoints have no Steward counterpart; a TCP check on a port"
                    + " the host serves is the nearest");
            case "starttls" -> throw new Skip("STARTTLS endpoints have no Steward counterpart; Steward's TLS check"
                    + " starts with the handshake");
            case "udp", "sctp", "ssh", "grpc", "grpcs", "ws", "wss" -> throw new Skip(scheme
                    + ":// endpoints have no Steward counterpart");
            default -> throw new Skip("url '" + Fields.clip(url) + "' is not an endpoint Steward can check"
                    + " (http://, https://, tcp://, tls://, or a DNS server with dns:)");
        };
    }

    private static CheckDefinition.Http http(JsonNode endpoint, String name, String url, JsonNode client,
            GatusConditions conditions, Timing timing, @Nullable Vantages vantages) {
        if (Fields.nonBlank(endpoint, "body") != null || Fields.flag(endpoint, "graphql", false)) {
            throw new Skip("sends a request body; Steward's HTTP checks send none");
        }
        String method = Fields.nonBlank(endpoint, "method");
        HttpMethod httpMethod;
        try {
            httpMethod = method == null ? HttpMethod.GET : HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Skip("method " + Fields.clip(method) + " is not one Steward sends ("
                    + Arrays.toString(HttpMethod.values()) + ")");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Fields.headers(endpoint.path("headers"), "headers").forEach((header, value) ->
                headers.put(expanded(header, "headers"), expanded(value, "headers." + header)));
        boolean followRedirects = !Fields.flag(client, "ignore-redirect", false);
        return new CheckDefinition.Http(name, url, httpMethod, headers, conditions.expectStatus(),
                conditions.keyword(), conditions.jsonCondition(), followRedirects, null, timing.interval(),
                timing.retries(), timing.timeout(), vantages, conditions.warnDays());
    }

    private static CheckDefinition.Dns dns(JsonNode endpoint, String name, String resolver,
            GatusConditions conditions, Timing timing, @Nullable Vantages vantages, List<String> notes) {
        JsonNode dns = endpoint.path("dns");
        String queryName = expanded(Fields.nonBlank(dns, "query-name"), "dns.query-name");
        if (queryName == null) {
            throw new Skip("dns.query-name: required");
        }
        String queryType = Fields.nonBlank(dns, "query-type");
        DnsRecordType recordType;
        try {
            recordType = queryType == null ? DnsRecordType.A : DnsRecordType.valueOf(queryType);
        } catch (IllegalArgumentException e) {
            throw new Skip("DNS record type " + Fields.clip(queryType) + " is not supported ("
                    + Arrays.toString(DnsRecordType.values()) + ")");
        }
        notes.add("queried through each vantage's own resolver, not " + Fields.clip(resolver));
        String host = queryName.endsWith(".") ? queryName.substring(0, queryName.length() - 1) : queryName;
        return new CheckDefinition.Dns(name, host, recordType, conditions.dnsExpect(), timing.interval(),
                timing.retries(), timing.timeout(), vantages);
    }

    /** Client settings that change what the check means skip the endpoint; the rest are noted. */
    private static void client(JsonNode client, Target target, List<String> notes) {
        if (client.hasNonNull("oauth2")) {
            throw new Skip("client.oauth2: OAuth2 client-credentials authentication has no Steward counterpart");
        }
        if (client.hasNonNull("identity-aware-proxy")) {
            throw new Skip("client.identity-aware-proxy: Google IAP authentication has no Steward counterpart");
        }
        if (Fields.nonBlank(client.path("tls"), "certificate-file") != null) {
            throw new Skip("client.tls: client certificate (mTLS) authentication has no Steward counterpart");
        }
        if (Fields.nonBlank(client, "tunnel") != null) {
            throw new Skip("client.tunnel: requests through an SSH tunnel have no Steward counterpart");
        }
        if (Fields.flag(client, "insecure", false) && (target == Target.HTTPS || target == Target.TLS)) {
            notes.add("client.insecure not imported: Steward verifies the certificate; for a self-signed one, pin"
                    + " its fingerprint (acceptFingerprint) from the check's certificate details");
        }
        if (Fields.nonBlank(client, "dns-resolver") != null) {
            notes.add("client.dns-resolver not imported: names resolve through each vantage's own resolver");
        }
        if (Fields.nonBlank(client, "proxy-url") != null) {
            notes.add("client.proxy-url not imported: Steward's checks connect directly");
        }
    }

    /**
     * Retries from the alerts' failure threshold (failures in a row before Gatus alerts), which is what Steward's
     * retries decide; null (Steward's default, which matches Gatus's default threshold) without alerts.
     */
    private static @Nullable Integer retries(JsonNode root, JsonNode endpoint, List<String> notes) {
        JsonNode alerts = endpoint.path("alerts");
        if (!alerts.isArray() || alerts.isEmpty()) {
            return null;
        }
        int threshold = Integer.MAX_VALUE;
        for (JsonNode alert : alerts) {
            Integer own = Fields.integer(alert, "failure-threshold");
            String type = Fields.nonBlank(alert, "type");
            Integer fallback = type == null ? null
                    : Fields.integer(root.path("alerting").path(type).path("default-alert"), "failure-threshold");
            int effective = own != null && own > 0 ? own
                    : fallback != null && fallback > 0 ? fallback : DEFAULT_FAILURE_THRESHOLD;
            threshold = Math.min(threshold, effective);
        }
        notes.add("alerts not imported: Steward alerts through its own rules and channels; their failure threshold"
                + " of " + threshold + " is kept as " + (threshold - 1) + (threshold == 2 ? " retry" : " retries"));
        return threshold - 1;
    }

    /** A Go duration at {@code field}; null when absent or zero (Gatus then uses its default, as Steward does). */
    private static @Nullable Duration duration(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            throw new Skip(field + ": " + value.asText() + " has no unit; Gatus reads durations like 60s or 5m");
        }
        Duration duration = value.isTextual() ? Durations.parseGo(value.asText()) : null;
        if (duration == null) {
            throw new Skip(field + ": '" + Fields.clip(value.asText()) + "' is not a duration like 60s or 5m");
        }
        // Gatus reads a timeout below 1 ms as its default 10 s, and a zero interval as its default 1 min.
        return duration.compareTo(Duration.ofMillis(1)) < 0 ? null : duration;
    }

    private static List<String> conditions(JsonNode endpoint) {
        JsonNode conditions = endpoint.path("conditions");
        if (conditions.isMissingNode() || conditions.isNull()) {
            return List.of();
        }
        if (!conditions.isArray()) {
            throw new Skip("conditions: must be a list");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode condition : conditions) {
            if (!condition.isValueNode()) {
                throw new Skip("conditions: each must be text like \"[STATUS] == 200\"");
            }
            texts.add(expanded(condition.asText().strip(), "conditions"));
        }
        return texts;
    }

    /**
     * {@code text} as Gatus sees it after filling in environment variables: {@code $$} is a literal {@code $}; any
     * other {@code $NAME} or {@code ${NAME}} leaves the entry out, since only Gatus's environment knows its value.
     */
    private static @Nullable String expanded(@Nullable String text, String field) {
        if (text == null) {
            return null;
        }
        String withoutLiterals = text.replace("$$", "");
        var variable = VARIABLE.matcher(withoutLiterals);
        if (variable.find()) {
            throw new Skip(field + " uses the environment variable " + Fields.clip(variable.group())
                    + ", which only Gatus's environment can fill in; put its value in the file to import it");
        }
        return text.replace("$$", "$");
    }

    /** Names and groups are only shown, so an environment variable in them is kept as written. */
    private static @Nullable String literal(@Nullable String text) {
        return text == null ? null : text.replace("$$", "$");
    }

    /** The {@code host:port} of a {@code tcp://} or {@code tls://} URL; an IPv6 address in brackets. */
    private record HostPort(String host, Integer port) {
        static HostPort of(String url, String scheme) {
            String rest = url.substring(scheme.length());
            int end = rest.indexOf('/');
            String authority = end < 0 ? rest : rest.substring(0, end);
            int colon = authority.lastIndexOf(':');
            if (colon < 0 || authority.endsWith("]") || colon == authority.length() - 1) {
                throw new Skip("url: '" + Fields.clip(url) + "' names no port (" + scheme + "host:port)");
            }
            String port = authority.substring(colon + 1);
            if (!port.matches("\\d{1,5}")) {
                throw new Skip("url: '" + Fields.clip(url) + "' has no port number after the host");
            }
            return new HostPort(authority.substring(0, colon), Integer.valueOf(port));
        }
    }
}
