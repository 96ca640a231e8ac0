package io.steward.core.checks.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.DnsRecordType;
import io.steward.core.checks.HttpMethod;
import io.steward.core.checks.JsonCondition;
import io.steward.core.checks.Vantages;
import io.steward.core.checks.imports.ImportResult.Imported;
import io.steward.core.checks.imports.ImportResult.Skipped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An Uptime Kuma 1.23 backup with monitors of every kind converted, field by field, note by note. */
class UptimeKumaImportTest {
    private static final List<Integer> DEFAULT_WARN_DAYS = List.of(30, 14, 7, 3, 1);
    private static ImportResult sample;

    @BeforeAll
    static void importTheSample() throws IOException {
        sample = UptimeKumaImport.parse(resource("/imports/uptime-kuma-backup.json"));
    }

    static String resource(String path) throws IOException {
        try (InputStream in = UptimeKumaImportTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Imported imported(ImportResult result, String name) {
        return result.checks().stream().filter(check -> check.definition().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not imported: " + result));
    }

    private static String reason(ImportResult result, String name) {
        return result.skipped().stream().filter(skipped -> skipped.name().equals(name)).map(Skipped::reason)
                .findFirst().orElseThrow(() -> new AssertionError(name + " not skipped: " + result));
    }

    /** A backup holding {@code monitors} (JSON objects), as Uptime Kuma writes the file around them. */
    private static String backup(String... monitors) {
        return "{\"version\":\"1.23.16\",\"notificationList\":[],\"monitorList\":["
                + String.join(",", monitors) + "]}";
    }

    @Test
    void everyMonitorIsImportedOrSkippedExactlyOnceInFileOrder() {
        assertThat(sample.checks()).extracting(check -> check.definition().name()).containsExactly(
                "Homepage", "Shop search", "API health", "Postgres", "Mail exchangers", "Old login redirect",
                "Intranet");
        assertThat(sample.skipped()).extracting(Skipped::name).containsExactly(
                "Public site", "Redis container", "Nightly backup", "Old admin", "No error page", "Queue depth",
                "Gateway", "Create order");
    }

    @Test
    void anHttpMonitorKeepsItsValuesAndItsGroupsName() {
        Imported homepage = imported(sample, "Homepage");
        assertThat(homepage.definition()).isEqualTo(new CheckDefinition.Http("Homepage", "https://example.com/",
                HttpMethod.GET, Map.of(), List.of(), null, null, true, null, Duration.ofSeconds(60), 0,
                Duration.ofSeconds(30), Vantages.LOCAL, DEFAULT_WARN_DAYS));
        assertThat(homepage.group()).isEqualTo("Public site");
        assertThat(homepage.notes()).containsExactly(
                "timeout 48 s lowered to 30 s, half the interval",
                "notifications not imported: Steward alerts through its own rules and channels",
                "tags not imported (Steward checks have none): prod");
        assertThat(reason(sample, "Public site"))
                .isEqualTo("a group, not a check: its 2 monitors carry 'Public site' as the group");
    }

    @Test
    void aKeywordMonitorWithAWideStatusRangeListsTheRegisteredCodesInIt() {
        Imported shop = imported(sample, "Shop search");
        CheckDefinition.Http http = (CheckDefinition.Http) shop.definition();
        assertThat(http.keyword()).isEqualTo("results");
        assertThat(http.url()).isEqualTo("https://shop.example.com/search?q=test");
        assertThat(http.expectStatus()).containsExactly(200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
                300, 301, 302, 303, 304, 305, 307, 308);
        assertThat(http.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(http.retries()).isEqualTo(3);
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(http.warnDays()).as("expiryNotification false").isEmpty();
        assertThat(shop.group()).isEqualTo("Public site");
        assertThat(shop.notes()).containsExactly(
                "retries come at the interval (5 min), not at Uptime Kuma's retry interval (1 min)",
                "accepted status codes 200-399 imported as the 18 registered status codes it accepts");
    }

    @Test
    void aJsonQueryMonitorBecomesAJsonConditionWithItsHeadersAndBasicAuthentication() {
        Imported api = imported(sample, "API health");
        CheckDefinition.Http http = (CheckDefinition.Http) api.definition();
        assertThat(http.jsonCondition()).isEqualTo(new JsonCondition("status", "UP"));
        assertThat(http.headers()).containsExactly(Map.entry("X-Api-Key", "abc123"), Map.entry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("monitor:s3cret".getBytes(StandardCharsets.UTF_8))));
        assertThat(http.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(48));
        assertThat(api.group()).isNull();
        assertThat(api.notes()).containsExactly("interval 2 h lowered to the maximum 1 h",
                "basic authentication imported as an Authorization header");
    }

    @Test
    void aPortMonitorBecomesATcpCheckClampedToStewardsLimits() {
        Imported postgres = imported(sample, "Postgres");
        assertThat(postgres.definition()).isEqualTo(new CheckDefinition.Tcp("Postgres", "db.internal", 5432,
                Duration.ofSeconds(30), 10, Duration.ofSeconds(15), Vantages.LOCAL));
        assertThat(postgres.notes()).containsExactly("retries 15 lowered to the maximum 10",
                "timeout 24 s lowered to 15 s, half the interval");
    }

    @Test
    void aDnsMonitorBecomesADnsCheckThroughTheVantagesResolver() {
        Imported mail = imported(sample, "Mail exchangers");
        assertThat(mail.definition()).isEqualTo(new CheckDefinition.Dns("Mail exchangers", "example.com",
                DnsRecordType.MX, null, Duration.ofMinutes(10), 0, null, Vantages.LOCAL));
        assertThat(mail.definition().timeout()).as("timeout 0: Steward's default").isEqualTo(Duration.ofSeconds(10));
        assertThat(mail.notes()).containsExactly("queried through each vantage's own resolver, not 1.1.1.1");
    }

    @Test
    void redirectsAndCertificateSettingsCarryOver() {
        CheckDefinition.Http redirect = (CheckDefinition.Http) imported(sample, "Old login redirect").definition();
        assertThat(redirect.expectStatus()).containsExactly(301, 302);
        assertThat(redirect.followRedirects()).as("maxredirects 0").isFalse();
        assertThat(redirect.warnDays()).isEqualTo(DEFAULT_WARN_DAYS);
        Imported intranet = imported(sample, "Intranet");
        assertThat(intranet.definition().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(((CheckDefinition.Http) intranet.definition()).followRedirects()).isTrue();
        assertThat(intranet.notes()).containsExactly("redirects followed up to 10 (Uptime Kuma: 5)",
                "ignoreTls not imported: Steward verifies the certificate; for a self-signed one, pin its"
                        + " fingerprint (acceptFingerprint) from the check's certificate details");
    }

    @Test
    void whatStewardCannotCheckIsSkippedWithTheReason() {
        assertThat(reason(sample, "Redis container"))
                .isEqualTo("'docker' monitors have no Steward counterpart (http, keyword, json-query, port and dns"
                        + " monitors are imported)");
        assertThat(reason(sample, "Nightly backup"))
                .isEqualTo("push monitors wait for the service to call in; Steward's checks reach out");
        assertThat(reason(sample, "Old admin"))
                .isEqualTo("paused in Uptime Kuma; left out so that it does not start running");
        assertThat(reason(sample, "No error page"))
                .isEqualTo("inverted keyword (up when the text is absent) has no Steward counterpart");
        assertThat(reason(sample, "Queue depth")).startsWith("json query '$count(items) < 100' is a JSONata"
                + " expression; Steward compares the value at a plain path");
        assertThat(reason(sample, "Gateway")).startsWith("ping (ICMP) monitors have no Steward counterpart");
        assertThat(reason(sample, "Create order")).isEqualTo("sends a request body; Steward's HTTP checks send none");
    }

    @Test
    void givenVantagesApplyToEveryImportedCheck() throws IOException {
        Vantages everywhere = new Vantages(Vantages.Kind.ALL, List.of());
        ImportResult result = UptimeKumaImport.parse(resource("/imports/uptime-kuma-backup.json"), everywhere);
        assertThat(result.checks()).hasSize(7)
                .allSatisfy(check -> assertThat(check.definition().vantages()).isEqualTo(everywhere));
    }

    @Test
    void olderBackupsWithNumericFlagsAndCredentialsWithoutAnAuthMethodImport() {
        ImportResult result = UptimeKumaImport.parse(backup(
                "{\"id\":1,\"name\":\"Wiki\",\"type\":\"http\",\"url\":\"https://wiki.example.com\",\"interval\":60,"
                        + "\"active\":1,\"upsideDown\":0,\"ignoreTls\":0,\"basic_auth_user\":\"bot\","
                        + "\"basic_auth_pass\":\"pw\",\"accepted_statuscodes\":[\"200-299\"]}",
                "{\"id\":2,\"name\":\"Paused\",\"type\":\"port\",\"hostname\":\"h\",\"port\":22,\"active\":0}"));
        CheckDefinition.Http wiki = (CheckDefinition.Http) imported(result, "Wiki").definition();
        assertThat(wiki.headers()).containsEntry("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("bot:pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(wiki.timeout()).as("absent timeout: Steward's default").isEqualTo(Duration.ofSeconds(10));
        assertThat(wiki.warnDays()).as("no expiryNotification field: Steward's default").isEqualTo(DEFAULT_WARN_DAYS);
        assertThat(reason(result, "Paused")).startsWith("paused in Uptime Kuma");
    }

    @Test
    void aMonitorsOwnAuthorizationHeaderWinsOverBasicAuthentication() {
        ImportResult result = UptimeKumaImport.parse(backup("{\"name\":\"A\",\"type\":\"http\","
                + "\"url\":\"https://a.example.com\",\"authMethod\":\"basic\",\"basic_auth_user\":\"u\","
                + "\"headers\":\"{\\\"Authorization\\\": \\\"Bearer t0k3n\\\"}\"}"));
        assertThat(((CheckDefinition.Http) imported(result, "A").definition()).headers())
                .containsExactly(Map.entry("Authorization", "Bearer t0k3n"));
        assertThat(imported(result, "A").notes()).isEmpty();
    }

    @Test
    void entriesStewardWouldRefuseAreSkippedNamingTheField() {
        ImportResult result = UptimeKumaImport.parse(backup(
                "{\"name\":\"Bad headers\",\"type\":\"http\",\"url\":\"https://a.example.com\",\"headers\":\"{nope\"}",
                "{\"name\":\"No port\",\"type\":\"port\",\"hostname\":\"db\"}",
                "{\"name\":\"Ftp\",\"type\":\"http\",\"url\":\"ftp://files.example.com\"}",
                "{\"name\":\"Srv\",\"type\":\"dns\",\"hostname\":\"_sip._tcp.example.com\",\"dns_resolve_type\":\"SRV\"}",
                "{\"name\":\"Ntlm\",\"type\":\"http\",\"url\":\"https://a.example.com\",\"authMethod\":\"ntlm\"}",
                "{\"name\":\"Odd codes\",\"type\":\"http\",\"url\":\"https://a.example.com\","
                        + "\"accepted_statuscodes\":[\"2xx\"]}",
                "{\"name\":\"Many codes\",\"type\":\"http\",\"url\":\"https://a.example.com\","
                        + "\"accepted_statuscodes\":[\"200-599\"]}",
                "{\"name\":\"Trace\",\"type\":\"http\",\"url\":\"https://a.example.com\",\"method\":\"TRACE\"}",
                "{\"name\":\"Slow\",\"type\":\"http\",\"url\":\"https://a.example.com\",\"interval\":\"often\"}",
                "[\"not\", \"a\", \"monitor\"]",
                "{\"type\":\"http\",\"url\":\"https://a.example.com\"}"));
        assertThat(result.checks()).isEmpty();
        Map<String, String> reasons = result.skipped().stream()
                .collect(Collectors.toMap(Skipped::name, Skipped::reason, (a, b) -> a, LinkedHashMap::new));
        assertThat(reasons).containsOnlyKeys("Bad headers", "No port", "Ftp", "Srv", "Ntlm", "Odd codes",
                "Many codes", "Trace", "Slow", "(monitor 10)", "(monitor 11)");
        assertThat(reasons.get("Bad headers")).startsWith("headers: not a JSON object");
        assertThat(reasons.get("No port")).isEqualTo("not a valid Steward check: port: required");
        assertThat(reasons.get("Ftp")).startsWith("not a valid Steward check: url: the scheme must be http or https");
        assertThat(reasons.get("Srv")).startsWith("DNS record type SRV is not supported");
        assertThat(reasons.get("Ntlm"))
                .isEqualTo("NTLM authentication has no Steward counterpart; only basic authentication is imported");
        assertThat(reasons.get("Odd codes")).startsWith("accepted_statuscodes: '2xx' is not a status code");
        assertThat(reasons.get("Many codes"))
                .isEqualTo("accepted status codes 200-599 accepts 400 status codes; Steward lists at most 50 (or"
                        + " accepts any 2xx)");
        assertThat(reasons.get("Trace")).startsWith("method TRACE is not one Steward sends");
        assertThat(reasons.get("Slow")).isEqualTo("interval: must be a number, was \"often\"");
        assertThat(reasons.get("(monitor 10)")).isEqualTo("not a monitor: an object was expected");
        assertThat(reasons.get("(monitor 11)")).isEqualTo("name: required, the entry has no name");
    }

    @Test
    void aRealBrowserMonitorIsImportedAsAPlainRequest() {
        ImportResult result = UptimeKumaImport.parse(backup(
                "{\"name\":\"Dashboard\",\"type\":\"real-browser\",\"url\":\"https://app.example.com\"}"));
        assertThat(imported(result, "Dashboard").notes())
                .containsExactly("imported as a plain HTTP request: Steward does not render the page in a browser");
    }

    @Test
    void aFileThatIsNoBackupIsRefusedAsAWhole() {
        assertThatThrownBy(() -> UptimeKumaImport.parse("monitors: []"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("content: not JSON: ");
        assertThatThrownBy(() -> UptimeKumaImport.parse("{\"monitorList\": [}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(line 1, column 18)");
        assertThatThrownBy(() -> UptimeKumaImport.parse("[{\"name\": \"x\"}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("monitorList: required");
        assertThatThrownBy(() -> UptimeKumaImport.parse("{\"version\": \"1.23.16\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("monitorList: required");
        assertThatThrownBy(() -> UptimeKumaImport.parse("{\"monitorList\": {\"1\": {}}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("monitorList: must be a list of monitors");
        assertThatThrownBy(() -> UptimeKumaImport.parse("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("content: required, the file's text");
    }

    @Test
    void oversizedFilesAndTooManyMonitorsAreRefused() {
        String huge = backup("{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}");
        assertThatThrownBy(() -> UptimeKumaImport.parse(huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("content: at most 5 MiB");
        // Multi-byte characters count as the bytes they take.
        String wide = backup("{\"name\":\"" + "é".repeat(3 * 1024 * 1024) + "\"}");
        assertThatThrownBy(() -> UptimeKumaImport.parse(wide))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("content: at most 5 MiB");
        String many = backup(Stream.generate(() -> "{}").limit(5_001).toArray(String[]::new));
        assertThatThrownBy(() -> UptimeKumaImport.parse(many))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("monitorList: at most 5000 monitors, was 5001");
        String most = backup(Stream.generate(() -> "{}").limit(5_000).toArray(String[]::new));
        assertThat(UptimeKumaImport.parse(most).skipped()).hasSize(5_000);
    }
}
