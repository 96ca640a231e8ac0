package io.steward.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.protocol.WireFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check definition as the JSON contract writes it, its defaults, and every refusal naming its field. */
class CheckDefinitionTest {
    private static final ObjectMapper JSON = WireFormat.mapper();

    private static CheckDefinition read(String json) throws Exception {
        return JSON.readValue(json, CheckDefinition.class);
    }

    @Test
    void theContractsJsonReadsIntoAnHttpCheckWithItsValues() throws Exception {
        CheckDefinition check = read("{\"name\":\"Shop\",\"kind\":\"http\",\"url\":\"https://shop.example.com/health\","
                + "\"expectStatus\":[200],\"keyword\":\"ok\",\"interval\":\"PT60S\",\"retries\":2,"
                + "\"timeout\":\"PT10S\",\"vantages\":{\"kind\":\"tag\",\"values\":[\"eu\",\"us\"]},"
                + "\"warnDays\":[30,14,7,3,1],\"headers\":{\"Accept\":\"text/html\"},"
                + "\"jsonCondition\":{\"path\":\"$.status\",\"equals\":\"ok\"},\"followRedirects\":false}");
        assertThat(check).isInstanceOf(CheckDefinition.Http.class);
        CheckDefinition.Http http = (CheckDefinition.Http) check;
        assertThat(http.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(http.vantages()).isEqualTo(new Vantages(Vantages.Kind.TAG, List.of("eu", "us")));
        assertThat(http.followRedirects()).isFalse();
        assertThat(http.method()).isEqualTo(HttpMethod.GET);
        String written = JSON.writeValueAsString(check);
        assertThat(written).contains("\"kind\":\"http\"").contains("\"interval\":\"PT1M\"")
                .contains("\"timeout\":\"PT10S\"").contains("\"vantages\":{\"kind\":\"tag\"");
        assertThat(read(written)).isEqualTo(check);
    }

    @Test
    void absentFieldsTakeTheirDefaults() throws Exception {
        CheckDefinition.Http http = (CheckDefinition.Http) read(
                "{\"kind\":\"http\",\"name\":\" Site \",\"url\":\"http://example.com\"}");
        assertThat(http.name()).isEqualTo("Site");
        assertThat(http.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(http.retries()).isEqualTo(2);
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.vantages()).isEqualTo(Vantages.LOCAL);
        assertThat(http.warnDays()).containsExactly(30, 14, 7, 3, 1);
        assertThat(http.followRedirects()).isTrue();
        assertThat(http.accepts(204)).isTrue();
        assertThat(http.accepts(301)).isFalse();
        // A short interval gets a timeout below it.
        CheckDefinition.Tcp tcp = (CheckDefinition.Tcp) read(
                "{\"kind\":\"tcp\",\"name\":\"db\",\"host\":\"DB.example.com\",\"port\":5432,\"interval\":\"PT10S\"}");
        assertThat(tcp.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tcp.host()).isEqualTo("db.example.com");
        CheckDefinition.Tls tls = (CheckDefinition.Tls) read("{\"kind\":\"tls\",\"name\":\"t\",\"host\":\"example.com\","
                + "\"warnDays\":[3,30,3],\"acceptFingerprint\":\"sha256:" + "ab".repeat(32) + "\"}");
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.warnDays()).containsExactly(30, 3);
        assertThat(tls.acceptFingerprint()).startsWith("AB:AB:").hasSize(95);
        CheckDefinition.Dns dns = (CheckDefinition.Dns) read(
                "{\"kind\":\"dns\",\"name\":\"d\",\"host\":\"example.com\",\"recordType\":\"MX\",\"expect\":\"mx.example.com\"}");
        assertThat(dns.recordType()).isEqualTo(DnsRecordType.MX);
        assertThat(read(JSON.writeValueAsString(dns))).isEqualTo(dns);
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        String[][] cases = {
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"ftp://example.com\"}", "url: the scheme must be http or https"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://\"}", "url:"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://u:p@example.com\"}", "url: credentials"},
            {"{\"kind\":\"http\",\"name\":\"\",\"url\":\"https://example.com\"}", "name: required"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"interval\":\"PT5S\"}",
                "interval: must be from 10 s to 1 h"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"interval\":\"PT2H\"}",
                "interval: must be from 10 s to 1 h"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"interval\":\"PT30S\","
                + "\"timeout\":\"PT30S\"}", "timeout: must be shorter than the interval"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"retries\":-1}", "retries:"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"retries\":11}", "retries:"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"expectStatus\":[99]}",
                "expectStatus:"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"headers\":{\"X\":\"a\\r\\nEvil: 1\"}}",
                "headers.X: at most 4096 characters on one line"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"headers\":{\"Bad Name\":\"v\"}}",
                "headers: 'Bad Name' is not a header name"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"headers\":{\"Content-Length\":\"1\"}}",
                "headers.Content-Length: set by the prober"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"jsonCondition\":{\"path\":\"a..b\","
                + "\"equals\":\"x\"}}", "jsonCondition.path:"},
            {"{\"kind\":\"http\",\"name\":\"a\",\"url\":\"https://example.com\",\"acceptFingerprint\":\"abc\"}",
                "acceptFingerprint:"},
            {"{\"kind\":\"tcp\",\"name\":\"a\",\"host\":\"example.com\"}", "port: required"},
            {"{\"kind\":\"tcp\",\"name\":\"a\",\"host\":\"example.com\",\"port\":70000}", "port: must be from 1 to 65535"},
            {"{\"kind\":\"tcp\",\"name\":\"a\",\"host\":\"-oProxy\",\"port\":22}", "host: '-oProxy' is not a host name"},
            {"{\"kind\":\"tls\",\"name\":\"a\",\"host\":\"example.com\",\"warnDays\":[0]}", "warnDays:"},
            {"{\"kind\":\"tls\",\"name\":\"a\",\"host\":\"example.com\",\"vantages\":{\"kind\":\"servers\"}}",
                "vantages.values: name at least one"},
            {"{\"kind\":\"tls\",\"name\":\"a\",\"host\":\"example.com\",\"vantages\":{\"kind\":\"group\","
                + "\"values\":[\"a\",\"b\"]}}", "vantages.values: name exactly one group"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(c[0])).as(c[0]).hasMessageContaining(c[1]);
        }
    }

    @Test
    void headerLimitsHoldInCountAndTotalSize() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("X-" + i, "v");
        }
        assertThatThrownBy(() -> CheckRules.headers(many)).hasMessageContaining("headers: at most 32");
        Map<String, String> large = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            large.put("X-" + i, "v".repeat(4000));
        }
        assertThatThrownBy(() -> CheckRules.headers(large)).hasMessageContaining("characters in all");
    }

    @Test
    void aJsonConditionFollowsItsDottedPath() throws Exception {
        var document = JSON.readTree("{\"status\":\"ok\",\"checks\":{\"db\":{\"up\":true}},\"items\":[{\"n\":200}]}");
        assertThat(new JsonCondition("status", "ok").test(document).holds()).isTrue();
        assertThat(new JsonCondition("$.checks.db.up", "true").test(document).holds()).isTrue();
        assertThat(new JsonCondition("items[0].n", "200").test(document).holds()).isTrue();
        JsonCondition.Verdict missing = new JsonCondition("items[3].n", "200").test(document);
        assertThat(missing.holds()).isFalse();
        assertThat(missing.actual()).contains("nothing at items[3].n");
        assertThat(new JsonCondition("checks.db", "x").test(document).actual()).isEqualTo("{\"up\":true}");
    }

    @Test
    void anExcerptIsAtMost4KiBAndNeverHalfACharacter() {
        byte[] body = "é".repeat(3000).getBytes(java.nio.charset.StandardCharsets.UTF_8); // 2 bytes each
        String excerpt = CheckResult.excerpt(body, body.length);
        assertThat(excerpt).hasSize(2048);
        byte[] odd = ("x" + "é".repeat(3000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CheckResult.excerpt(odd, odd.length)).hasSize(2048).doesNotContain("\uFFFD");
        byte[] invalid = new byte[5000];
        java.util.Arrays.fill(invalid, (byte) 0xFF);
        assertThat(CheckResult.excerpt(invalid, invalid.length).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(4096);
    }
}
