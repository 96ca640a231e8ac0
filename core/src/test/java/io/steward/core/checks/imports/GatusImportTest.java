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
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Gatus config.yaml with endpoints of every kind converted, condition by condition. */
class GatusImportTest {
    private static ImportResult sample;

    @BeforeAll
    static void importTheSample() throws IOException {
        sample = GatusImport.parse(UptimeKumaImportTest.resource("/imports/gatus-config.yaml"));
    }

    private static Imported imported(ImportResult result, String name) {
        return result.checks().stream().filter(check -> check.definition().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not imported: " + result));
    }

    private static String reason(ImportResult result, String name) {
        return result.skipped().stream().filter(skipped -> skipped.name().equals(name)).map(Skipped::reason)
                .findFirst().orElseThrow(() -> new AssertionError(name + " not skipped: " + result));
    }

    /** One endpoint with {@code conditions}, the rest of it as given in {@code lines} (indented YAML). */
    private static ImportResult endpoint(String lines, String... conditions) {
        String listed = conditions.length == 0 ? "" : "    conditions:\n" + Arrays.stream(conditions)
                .map(condition -> "      - \"" + condition + "\"\n").collect(Collectors.joining());
        return GatusImport.parse("endpoints:\n  - name: probe\n" + lines + listed);
    }

    @Test
    void everyEndpointIsImportedOrSkippedExactlyOnceInFileOrder() {
        assertThat(sample.checks()).extracting(check -> check.definition().name()).containsExactly(
                "website", "api-health", "status-page", "postgres", "ldaps", "dns-example", "catalogue");
        assertThat(sample.skipped()).extracting(Skipped::name).containsExactly(
                "gateway-ping", "graphql-user", "legacy-admin", "partner-api", "not-found-page", "nightly-backup");
    }

    @Test
    void sharedSettingsMergedFromAnAnchorApplyAndEndpointsOverrideThem() {
        Imported website = imported(sample, "website");
        assertThat(website.definition()).isEqualTo(new CheckDefinition.Http("website", "https://example.org/",
                HttpMethod.GET, Map.of(), List.of(200), null, null, true, null, Duration.ofMinutes(5), 2,
                Duration.ofSeconds(10), Vantages.LOCAL, List.of(30, 14, 7, 3, 2, 1)));
        assertThat(website.group()).isEqualTo("core");
        assertThat(website.notes()).containsExactly(
                "[RESPONSE_TIME] < 300 not imported: Steward alerts on latency through rules",
                "[CERTIFICATE_EXPIRATION] > 48h imported as a certificate warning at 2 days left: Steward warns"
                        + " instead of failing the check");
        assertThat(imported(sample, "api-health").group()).isEqualTo("backend");
        assertThat(imported(sample, "api-health").definition().interval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void bodyConditionsBecomeAJsonConditionAndAKeywordAndAlertsSetTheRetries() {
        Imported api = imported(sample, "api-health");
        CheckDefinition.Http http = (CheckDefinition.Http) api.definition();
        assertThat(http.expectStatus()).as("[STATUS] < 300 is any 2xx").isEmpty();
        assertThat(http.jsonCondition()).isEqualTo(new JsonCondition("status", "UP"));
        assertThat(http.keyword()).isEqualTo("database");
        assertThat(http.headers()).containsExactly(Map.entry("Authorization", "Basic $ZXhhbXBsZQ=="),
                Map.entry("Accept", "application/json"));
        assertThat(http.retries()).as("the provider's default-alert failure-threshold 5").isEqualTo(4);
        assertThat(api.notes()).containsExactly("alerts not imported: Steward alerts through its own rules and"
                + " channels; their failure threshold of 5 is kept as 4 retries");
    }

    @Test
    void aShortIntervalIsRaisedAndStatusAlternativesAndPatternsCarryOver() {
        Imported status = imported(sample, "status-page");
        assertThat(status.definition()).isEqualTo(new CheckDefinition.Http("status-page",
                "http://status.example.org", HttpMethod.GET, Map.of(), List.of(200, 204), "All systems operational",
                null, false, null, Duration.ofSeconds(10), 2, Duration.ofSeconds(5), Vantages.LOCAL, null));
        assertThat(status.group()).isNull();
        assertThat(status.notes()).containsExactly("interval 5 s raised to the minimum 10 s");
    }

    @Test
    void tcpTlsAndDnsEndpointsBecomeTheirChecks() {
        Imported postgres = imported(sample, "postgres");
        assertThat(postgres.definition()).isEqualTo(new CheckDefinition.Tcp("postgres", "db.internal", 5432,
                Duration.ofSeconds(30), 2, null, Vantages.LOCAL));
        assertThat(postgres.group()).isEqualTo("databases");
        assertThat(postgres.notes()).isEmpty();
        Imported ldaps = imported(sample, "ldaps");
        assertThat(ldaps.definition()).isEqualTo(new CheckDefinition.Tls("ldaps", "ldap.example.org", 636, null,
                null, Duration.ofMinutes(30), 2, Duration.ofSeconds(5), Vantages.LOCAL,
                List.of(30, 14, 10, 7, 3, 1)));
        assertThat(ldaps.notes()).containsExactly("[CERTIFICATE_EXPIRATION] > 240h imported as a certificate"
                + " warning at 10 days left: Steward warns instead of failing the check");
        Imported dns = imported(sample, "dns-example");
        assertThat(dns.definition()).isEqualTo(new CheckDefinition.Dns("dns-example", "example.org",
                DnsRecordType.A, "93.184.215.14", Duration.ofSeconds(60), 2, null, Vantages.LOCAL));
        assertThat(dns.notes()).containsExactly("queried through each vantage's own resolver, not 8.8.8.8");
    }

    @Test
    void conditionsStewardCannotTestAreNotedAndValuesOutOfRangeClamped() {
        Imported catalogue = imported(sample, "catalogue");
        CheckDefinition.Http http = (CheckDefinition.Http) catalogue.definition();
        assertThat(http.expectStatus()).containsExactly(200);
        assertThat(http.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(http.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(http.retries()).as("the lowest failure-threshold, 2").isEqualTo(1);
        assertThat(catalogue.notes()).containsExactly(
                "client.insecure not imported: Steward verifies the certificate; for a self-signed one, pin its"
                        + " fingerprint (acceptFingerprint) from the check's certificate details",
                "alerts not imported: Steward alerts through its own rules and channels; their failure threshold"
                        + " of 2 is kept as 1 retry",
                "interval 2 h lowered to the maximum 1 h",
                "timeout 45 min lowered to 30 min, half the interval",
                "len([BODY].items) > 0 not imported: Steward has no counterpart",
                "[DOMAIN_EXPIRATION] > 720h not imported: Steward does not watch domain registrations",
                "[IP] == 93.184.215.14 not imported: Steward does not check which address answered",
                "maintenance windows not imported: add them under Steward's maintenance windows");
    }

    @Test
    void whatStewardCannotCheckIsSkippedWithTheReason() {
        assertThat(reason(sample, "gateway-ping")).startsWith("ping (icmp://) endpoints have no Steward counterpart");
        assertThat(reason(sample, "graphql-user")).isEqualTo("sends a request body; Steward's HTTP checks send none");
        assertThat(reason(sample, "legacy-admin"))
                .isEqualTo("disabled in Gatus (enabled: false); left out so that it does not start running");
        assertThat(reason(sample, "partner-api")).isEqualTo("headers.Authorization uses the environment variable"
                + " ${PARTNER_TOKEN}, which only Gatus's environment can fill in; put its value in the file to"
                + " import it");
        assertThat(reason(sample, "not-found-page")).isEqualTo("[STATUS] != 200 accepts 399 status codes; Steward"
                + " lists at most 50 (or accepts any 2xx)");
        assertThat(reason(sample, "nightly-backup"))
                .isEqualTo("an external endpoint: its results are pushed to Gatus; Steward's checks reach out");
    }

    @Test
    void conditionsThatWantTheTargetDownSkipTheEndpoint() {
        assertThat(endpoint("    url: tcp://db:5432\n", "[CONNECTED] == false").skipped()).singleElement()
                .extracting(Skipped::reason).isEqualTo("[CONNECTED] == false: expects the target to be unreachable;"
                        + " Steward checks that it is reachable");
        assertThat(endpoint("    url: 1.1.1.1\n    dns:\n      query-name: gone.example.org\n      query-type: A\n",
                "[DNS_RCODE] == NXDOMAIN").skipped()).singleElement().extracting(Skipped::reason)
                .isEqualTo("[DNS_RCODE] == NXDOMAIN: expects a failed DNS answer; Steward's DNS check is up only when"
                        + " the name resolves");
    }

    @Test
    void statusPatternsAndComparisonsBecomeCodeLists() {
        CheckDefinition.Http pattern = (CheckDefinition.Http) endpoint("    url: https://a.example.org\n",
                "[STATUS] == pat(2*)").checks().get(0).definition();
        assertThat(pattern.expectStatus()).as("any 2xx").isEmpty();
        Imported above = endpoint("    url: https://a.example.org\n", "[STATUS] > 400", "[STATUS] < 500").checks()
                .get(0);
        assertThat(((CheckDefinition.Http) above.definition()).expectStatus()).containsExactly(401, 402, 403, 404,
                405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 423, 424, 425, 426, 428,
                429, 431, 451);
        assertThat(above.notes()).containsExactly("[STATUS] > 400 and [STATUS] < 500 imported as the 27 registered"
                + " status codes it accepts");
        Imported none = endpoint("    url: https://a.example.org\n", "[RESPONSE_TIME] < 500").checks().get(0);
        assertThat(none.notes()).containsExactly("[RESPONSE_TIME] < 500 not imported: Steward alerts on latency"
                + " through rules", "no [STATUS] condition: Steward expects a 2xx status");
    }

    @Test
    void anExactBodyBecomesAKeywordAndOnlyOneKeywordIsKept() {
        Imported exact = endpoint("    url: https://a.example.org/ping\n", "[STATUS] == 200", "[BODY] == pong",
                "[BODY] == pat(*pong*)").checks().get(0);
        assertThat(((CheckDefinition.Http) exact.definition()).keyword()).isEqualTo("pong");
        assertThat(exact.notes()).containsExactly(
                "[BODY] == pong imported as a keyword: the body must contain pong (Steward has no exact body match)",
                "[BODY] == pat(*pong*) not imported: Steward checks one keyword");
    }

    @Test
    void literalDollarsAreKeptAndOtherSchemesOrMissingPortsAreSkipped() {
        Imported dollar = endpoint("    url: https://a.example.org/?price=$$5\n", "[STATUS] == 200").checks().get(0);
        assertThat(((CheckDefinition.Http) dollar.definition()).url()).isEqualTo("https://a.example.org/?price=$5");
        assertThat(endpoint("    url: tcp://db.internal\n", "[CONNECTED] == true").skipped()).singleElement()
                .extracting(Skipped::reason).isEqualTo("url: 'tcp://db.internal' names no port (tcp://host:port)");
        assertThat(endpoint("    url: starttls://smtp.example.org:587\n", "[CONNECTED] == true").skipped())
                .singleElement().extracting(Skipped::reason).asString().startsWith("STARTTLS endpoints have no");
        assertThat(endpoint("    url: ws://chat.example.org\n", "[CONNECTED] == true").skipped()).singleElement()
                .extracting(Skipped::reason).isEqualTo("ws:// endpoints have no Steward counterpart");
        assertThat(endpoint("    url: 1.1.1.1\n    dns:\n      query-name: example.org\n      query-type: SRV\n")
                .skipped()).singleElement().extracting(Skipped::reason).asString()
                .startsWith("DNS record type SRV is not supported");
        assertThat(endpoint("    url: https://a.example.org\n    client:\n      oauth2:\n        token-url: x\n")
                .skipped()).singleElement().extracting(Skipped::reason).asString().startsWith("client.oauth2:");
    }

    @Test
    void durationsWithoutUnitsOrNotInGoSyntaxSkipTheEndpoint() {
        assertThat(endpoint("    url: https://a.example.org\n    interval: 60\n").skipped()).singleElement()
                .extracting(Skipped::reason).isEqualTo("interval: 60 has no unit; Gatus reads durations like 60s or"
                        + " 5m");
        assertThat(endpoint("    url: https://a.example.org\n    interval: 5 minutes\n").skipped()).singleElement()
                .extracting(Skipped::reason).isEqualTo("interval: '5 minutes' is not a duration like 60s or 5m");
        Imported mixed = endpoint("    url: https://a.example.org\n    interval: 1m30s\n"
                + "    client:\n      timeout: 2.5s\n", "[STATUS] == 200").checks().get(0);
        assertThat(mixed.definition().interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(mixed.definition().timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void givenVantagesApplyToEveryImportedCheck() throws IOException {
        Vantages eu = new Vantages(Vantages.Kind.TAG, List.of("eu"));
        ImportResult result = GatusImport.parse(UptimeKumaImportTest.resource("/imports/gatus-config.yaml"), eu);
        assertThat(result.checks()).hasSize(7)
                .allSatisfy(check -> assertThat(check.definition().vantages()).isEqualTo(eu));
    }

    @Test
    void aFileThatIsNoGatusConfigurationIsRefusedAsAWhole() {
        assertThatThrownBy(() -> GatusImport.parse("endpoints: [\n  - name: a\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("content: not YAML: ")
                .hasMessageContaining("(line 2, column 3)");
        assertThatThrownBy(() -> GatusImport.parse("endpoints:\n  - name: a\n    name: b\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("content: not YAML: found duplicate key name (line 3, column 5)");
        assertThatThrownBy(() -> GatusImport.parse("web:\n  port: 8080\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("endpoints: required");
        assertThatThrownBy(() -> GatusImport.parse("- name: a\n  url: https://a.example.org\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("endpoints: required");
        assertThatThrownBy(() -> GatusImport.parse("endpoints:\n  name: a\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoints: must be a list of endpoints");
        assertThatThrownBy(() -> GatusImport.parse("endpoints: !!javax.script.ScriptEngineManager []\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("content: not YAML: ");
    }

    @Test
    void oversizedFilesTooManyEntriesAndAliasBombsAreRefused() {
        String huge = "endpoints: []\n# " + "x".repeat(5 * 1024 * 1024) + "\n";
        assertThatThrownBy(() -> GatusImport.parse(huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("content: at most 5 MiB");
        String many = "endpoints:\n" + "  - name: e\n".repeat(4_000) + "external-endpoints:\n"
                + "  - name: x\n".repeat(1_001);
        assertThatThrownBy(() -> GatusImport.parse(many))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoints: at most 5000 endpoints,"
                        + " external endpoints and suites in all, was 5001");
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        IntStream.range(1, 7).forEach(level -> bomb.append("a").append(level).append(": &a").append(level)
                .append(" [").append(String.join(", ", Collections.nCopies(10, "*a" + (level - 1))))
                .append("]\n"));
        bomb.append("endpoints: []\n");
        assertThatThrownBy(() -> GatusImport.parse(bomb.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("content: expands to more than 1000000 values through YAML aliases");
    }
}
