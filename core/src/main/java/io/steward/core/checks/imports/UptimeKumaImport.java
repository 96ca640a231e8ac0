package io.steward.core.checks.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.DnsRecordType;
import io.steward.core.checks.HttpMethod;
import io.steward.core.checks.JsonCondition;
import io.steward.core.checks.Vantages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Converts an Uptime Kuma JSON backup (Settings → Backup → Export, Uptime Kuma 1.x; 2.0 dropped the feature) into
 * Steward checks. The file is {@code {"version", "notificationList", "monitorList": [...]}}, each monitor as Uptime
 * Kuma's {@code Monitor.toJSON} writes it.
 *
 * <p>Monitors of type {@code http}, {@code keyword}, {@code json-query} and {@code real-browser} (as a plain request)
 * become HTTP checks, {@code port} TCP checks and {@code dns} DNS checks. A {@code group} monitor is no check: the
 * monitors in it (by {@code parent}) carry its name as their group. Everything else — other types, paused monitors,
 * inverted results, request bodies, authentication other than basic — is skipped with the reason.
 */
public final class UptimeKumaImport {
    /** A JSONata expression that only walks fields and array positions, which a {@link JsonCondition} can follow. */
    private static final Pattern PLAIN_PATH =
            Pattern.compile("(\\$\\.)?[A-Za-z_][A-Za-z0-9_]*(\\[\\d{1,6}])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[\\d{1,6}])*)*");
    private static final Pattern STATUS_RANGE = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");
    private static final int DEFAULT_MAX_REDIRECTS = 10;
    private static final int DNS_PORT = 53;
    private static final ObjectMapper JSON = new ObjectMapper();

    private UptimeKumaImport() {}

    /** The checks of backup {@code json}, run from the definitions' default vantages. */
    public static ImportResult parse(String json) {
        return convert(json, null);
    }

    /** The checks of backup {@code json}, each run from {@code vantages}. */
    public static ImportResult parse(String json, Vantages vantages) {
        return convert(json, requireNonNull(vantages, "vantages is null"));
    }

    private static ImportResult convert(String json, @Nullable Vantages vantages) {
        JsonNode root = ImportInput.json(json);
        if (!root.isObject() || !root.has("monitorList")) {
            throw new IllegalArgumentException("monitorList: required; expected an Uptime Kuma backup"
                    + " (Settings > Backup > Export), a JSON object with a monitorList");
        }
        List<JsonNode> monitors = ImportInput.entries(root, "monitorList", "monitors");
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode monitor : monitors) {
            if (monitor.hasNonNull("id")) {
                byId.put(monitor.get("id").asText(), monitor);
            }
        }
        List<ImportResult.Imported> checks = new ArrayList<>();
        List<ImportResult.Skipped> skipped = new ArrayList<>();
        for (int index = 0; index < monitors.size(); index++) {
            JsonNode monitor = monitors.get(index);
            String label = Fields.label(monitor, "name", "(monitor " + (index + 1) + ")");
            if (!monitor.isObject()) {
                skipped.add(new ImportResult.Skipped(label, "not a monitor: an object was expected"));
                continue;
            }
            List<String> notes = new ArrayList<>();
            try {
                CheckDefinition definition = definition(monitor, monitors, vantages, notes);
                checks.add(new ImportResult.Imported(definition, group(monitor, byId), notes));
            } catch (Skip skip) {
                skipped.add(new ImportResult.Skipped(label, skip.reason()));
            } catch (IllegalArgumentException invalid) {
                skipped.add(new ImportResult.Skipped(label, "not a valid Steward check: " + invalid.getMessage()));
            }
        }
        return new ImportResult(checks, skipped);
    }

    private static CheckDefinition definition(JsonNode monitor, List<JsonNode> monitors,
            @Nullable Vantages vantages, List<String> notes) {
        String type = Fields.nonBlank(monitor, "type");
        if (type == null) {
            throw new Skip("type: missing, the kind of monitor is unknown");
        }
        switch (type) {
            case "group" -> throw new Skip(groupReason(monitor, monitors));
            case "http", "keyword", "json-query", "real-browser", "port", "dns" -> { }
            case "ping" -> throw new Skip("ping (ICMP) monitors have no Steward counterpart; a TCP check on a port the"
                    + " host serves is the nearest");
            case "push" -> throw new Skip("push monitors wait for the service to call in; Steward's checks reach out");
            default -> throw new Skip("'" + Fields.clip(type) + "' monitors have no Steward counterpart (http,"
                    + " keyword, json-query, port and dns monitors are imported)");
        }
        if (!Fields.flag(monitor, "active", true)) {
            throw new Skip("paused in Uptime Kuma; left out so that it does not start running");
        }
        if (Fields.flag(monitor, "upsideDown", false)) {
            throw new Skip("upside-down mode (up when the target fails) has no Steward counterpart");
        }
        String name = Fields.name(monitor, "name", notes);
        Timing timing = timing(monitor, notes);
        notOwnedByChecks(monitor, notes);
        return switch (type) {
            case "port" -> new CheckDefinition.Tcp(name, Fields.nonBlank(monitor, "hostname"),
                    Fields.integer(monitor, "port"), timing.interval(), timing.retries(), timing.timeout(), vantages);
            case "dns" -> dns(monitor, name, timing, vantages, notes);
            default -> http(monitor, type, name, timing, vantages, notes);
        };
    }

    private static Timing timing(JsonNode monitor, List<String> notes) {
        Double intervalSeconds = Fields.number(monitor, "interval");
        Integer retries = Fields.integer(monitor, "maxretries");
        // 0 or absent: Uptime Kuma then waits 80% of the interval; Steward's default is used instead.
        Timing timing = Timing.of(Durations.ofSeconds(intervalSeconds), retries == null ? 0 : retries,
                Durations.ofSeconds(Fields.number(monitor, "timeout")), notes);
        Duration retryInterval = Durations.ofSeconds(Fields.number(monitor, "retryInterval"));
        if (timing.retries() > 0 && retryInterval != null && !retryInterval.equals(timing.interval())) {
            notes.add("retries come at the interval (" + Durations.describe(timing.interval())
                    + "), not at Uptime Kuma's retry interval (" + Durations.describe(retryInterval) + ")");
        }
        return timing;
    }

    /** Notes on what the monitor had that Steward keeps elsewhere than in a check. */
    private static void notOwnedByChecks(JsonNode monitor, List<String> notes) {
        JsonNode notifications = monitor.path("notificationIDList");
        boolean notified = false;
        for (JsonNode enabled : notifications) {
            notified |= enabled.asBoolean(false);
        }
        if (notified) {
            notes.add("notifications not imported: Steward alerts through its own rules and channels");
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : monitor.path("tags")) {
            String tagName = Fields.nonBlank(tag, "name");
            String value = Fields.nonBlank(tag, "value");
            if (tagName != null) {
                tags.add(value == null ? tagName : tagName + ":" + value);
            }
        }
        if (!tags.isEmpty()) {
            notes.add("tags not imported (Steward checks have none): " + Fields.clip(String.join(", ", tags)));
        }
    }

    private static CheckDefinition.Http http(JsonNode monitor, String type, String name, Timing timing,
            @Nullable Vantages vantages, List<String> notes) {
        String url = Fields.nonBlank(monitor, "url");
        HttpMethod method = method(Fields.nonBlank(monitor, "method"));
        if (Fields.nonBlank(monitor, "body") != null) {
            throw new Skip("sends a request body; Steward's HTTP checks send none");
        }
        Map<String, String> headers = headers(monitor);
        basicAuthentication(monitor, headers, notes);
        List<Integer> expectStatus = expectStatus(monitor, notes);
        String keyword = null;
        JsonCondition jsonCondition = null;
        switch (type) {
            case "keyword" -> {
                keyword = Fields.text(monitor, "keyword");
                if (keyword == null || keyword.isEmpty()) {
                    throw new Skip("a keyword monitor without a keyword");
                }
                if (Fields.flag(monitor, "invertKeyword", false)) {
                    throw new Skip("inverted keyword (up when the text is absent) has no Steward counterpart");
                }
            }
            case "json-query" -> jsonCondition = jsonCondition(monitor);
            case "real-browser" -> notes.add("imported as a plain HTTP request: Steward does not render the page in"
                    + " a browser");
            default -> { }
        }
        Integer maxRedirects = Fields.integer(monitor, "maxredirects");
        boolean followRedirects = maxRedirects == null || maxRedirects > 0;
        if (followRedirects && maxRedirects != null && maxRedirects != DEFAULT_MAX_REDIRECTS) {
            notes.add("redirects followed up to " + DEFAULT_MAX_REDIRECTS + " (Uptime Kuma: " + maxRedirects + ")");
        }
        if (Fields.flag(monitor, "ignoreTls", false) && url != null
                && url.toLowerCase(Locale.ROOT).startsWith("https:")) {
            notes.add("ignoreTls not imported: Steward verifies the certificate; for a self-signed one, pin its"
                    + " fingerprint (acceptFingerprint) from the check's certificate details");
        }
        // Uptime Kuma warns of certificate expiry only when asked to; Steward's default thresholds apply otherwise.
        List<Integer> warnDays = monitor.has("expiryNotification") && !Fields.flag(monitor, "expiryNotification", true)
                ? List.of() : null;
        return new CheckDefinition.Http(name, url, method, headers, expectStatus, keyword, jsonCondition,
                followRedirects, null, timing.interval(), timing.retries(), timing.timeout(), vantages, warnDays);
    }

    private static HttpMethod method(@Nullable String method) {
        if (method == null) {
            return HttpMethod.GET;
        }
        try {
            return HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Skip("method " + Fields.clip(method) + " is not one Steward sends ("
                    + Arrays.toString(HttpMethod.values()) + ")");
        }
    }

    /** Uptime Kuma keeps headers as the JSON text the user typed. */
    private static Map<String, String> headers(JsonNode monitor) {
        JsonNode headers = monitor.path("headers");
        if (headers.isTextual()) {
            if (headers.asText().isBlank()) {
                return Fields.headers(JSON.missingNode(), "headers");
            }
            try {
                headers = JSON.readTree(headers.asText());
            } catch (JsonProcessingException e) {
                throw new Skip("headers: not a JSON object: " + Fields.clip(e.getOriginalMessage()));
            }
        }
        return Fields.headers(headers, "headers");
    }

    /**
     * Basic authentication as the header Uptime Kuma sends. A header the user set wins, as in Uptime Kuma. Backups
     * from before Uptime Kuma had {@code authMethod} carry only the user name and password.
     */
    private static void basicAuthentication(JsonNode monitor, Map<String, String> headers, List<String> notes) {
        String method = Fields.nonBlank(monitor, "authMethod");
        String user = Fields.text(monitor, "basic_auth_user");
        String password = Fields.text(monitor, "basic_auth_pass");
        if (method != null && !method.equals("basic")) {
            String described = switch (method) {
                case "ntlm" -> "NTLM authentication";
                case "mtls" -> "client certificate (mTLS) authentication";
                case "oauth2-cc" -> "OAuth2 client-credentials authentication";
                default -> "authentication '" + Fields.clip(method) + "'";
            };
            throw new Skip(described + " has no Steward counterpart; only basic authentication is imported");
        }
        boolean hasCredentials = (user != null && !user.isEmpty()) || (password != null && !password.isEmpty());
        if (!hasCredentials || headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            return;
        }
        String credentials = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        headers.put("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        notes.add("basic authentication imported as an Authorization header");
    }

    /** {@code accepted_statuscodes}: codes and ranges, {@code ["200-299"]} by default. */
    private static List<Integer> expectStatus(JsonNode monitor, List<String> notes) {
        JsonNode accepted = monitor.path("accepted_statuscodes");
        if (!accepted.isArray() || accepted.isEmpty()) {
            return List.of();
        }
        List<String> written = new ArrayList<>();
        IntPredicate any = status -> false;
        for (JsonNode code : accepted) {
            String text = code.asText().strip();
            var range = STATUS_RANGE.matcher(text);
            if (!code.isValueNode() || !range.matches()) {
                throw new Skip("accepted_statuscodes: '" + Fields.clip(code.asText()) + "' is not a status code or a"
                        + " range like 200-299");
            }
            int from = Integer.parseInt(range.group(1));
            int to = range.group(2) == null ? from : Integer.parseInt(range.group(2));
            any = any.or(status -> status >= from && status <= to);
            written.add(text);
        }
        return StatusCodes.expectStatus(any, "accepted status codes " + String.join(", ", written), notes);
    }

    /** Uptime Kuma evaluates {@code jsonPath} as JSONata and compares the result's text to {@code expectedValue}. */
    private static JsonCondition jsonCondition(JsonNode monitor) {
        String operator = Fields.nonBlank(monitor, "jsonPathOperator");
        if (operator != null && !operator.equals("==")) {
            throw new Skip("json query operator " + Fields.clip(operator) + " has no Steward counterpart (only"
                    + " equality is checked)");
        }
        String path = Fields.nonBlank(monitor, "jsonPath");
        String expected = Fields.text(monitor, "expectedValue");
        if (path == null || expected == null) {
            throw new Skip("a json-query monitor without a query or an expected value");
        }
        if (!PLAIN_PATH.matcher(path).matches()) {
            throw new Skip("json query '" + Fields.clip(path) + "' is a JSONata expression; Steward compares the"
                    + " value at a plain path (e.g. status, checks.db.state, items[0].ok)");
        }
        return new JsonCondition(path, expected);
    }

    private static CheckDefinition.Dns dns(JsonNode monitor, String name, Timing timing,
            @Nullable Vantages vantages, List<String> notes) {
        String type = Fields.nonBlank(monitor, "dns_resolve_type");
        DnsRecordType recordType;
        try {
            recordType = type == null ? DnsRecordType.A : DnsRecordType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Skip("DNS record type " + Fields.clip(type) + " is not supported ("
                    + Arrays.toString(DnsRecordType.values()) + ")");
        }
        String server = Fields.nonBlank(monitor, "dns_resolve_server");
        Integer port = Fields.integer(monitor, "port");
        if (server != null) {
            notes.add("queried through each vantage's own resolver, not " + server
                    + (port == null || port == DNS_PORT ? "" : " port " + port));
        }
        return new CheckDefinition.Dns(name, Fields.nonBlank(monitor, "hostname"), recordType, null,
                timing.interval(), timing.retries(), timing.timeout(), vantages);
    }

    /** The name of the group monitor this monitor is in, if any. */
    private static @Nullable String group(JsonNode monitor, Map<String, JsonNode> byId) {
        JsonNode parentId = monitor.path("parent");
        JsonNode parent = parentId.isValueNode() && !parentId.isNull() ? byId.get(parentId.asText()) : null;
        if (parent == null || !"group".equals(parent.path("type").asText())) {
            return null;
        }
        return Fields.group(parent.path("name").isValueNode() ? parent.path("name").asText() : null);
    }

    private static String groupReason(JsonNode group, List<JsonNode> monitors) {
        String id = group.path("id").asText(null);
        long members = id == null ? 0 : monitors.stream()
                .filter(monitor -> monitor.path("parent").isValueNode() && id.equals(monitor.path("parent").asText()))
                .count();
        String name = Fields.group(Fields.label(group, "name", ""));
        return members == 0 ? "an empty group, not a check"
                : "a group, not a check: its " + members + (members == 1 ? " monitor carries" : " monitors carry")
                        + " '" + name + "' as the group";
    }
}
