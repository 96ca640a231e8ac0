package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.metrics.Resolution;
import io.steward.node.metrics.MetricExportPlan;
import io.steward.node.metrics.MetricRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricExportJsonTest {
    private static final Instant FROM = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void batchesJoinIntoOneDocumentWithTheCsvTextsAsFields() throws Exception {
        MetricExportPlan plan = new MetricExportPlan("web-1", null, FROM, FROM.plusSeconds(3600),
                Resolution.ONE_MINUTE, FROM.plusSeconds(7200));
        String document = MetricExportJson.opening(plan).utf8String()
                + MetricExportJson.rows(List.of(new MetricRow(FROM.toEpochMilli(), "cpu.percent", 12.5),
                        new MetricRow(FROM.toEpochMilli(), "label{x=\"q\"}", 1.2e10)), true).utf8String()
                + MetricExportJson.rows(List.of(new MetricRow(FROM.plusSeconds(60).toEpochMilli(), "cpu.percent",
                        3)), false).utf8String()
                + MetricExportJson.closing().utf8String();
        JsonNode json = new ObjectMapper().readTree(document);
        assertThat(json.get("server").asText()).isEqualTo("web-1");
        assertThat(json.get("series").isNull()).isTrue();
        assertThat(json.get("resolution").asText()).isEqualTo("1m");
        assertThat(json.get("from").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(json.get("rows")).hasSize(3);
        assertThat(json.get("rows").get(1).get("series").asText()).isEqualTo("label{x=\"q\"}");
        assertThat(json.get("rows").get(1).get("value").isIntegralNumber()).isTrue();
        assertThat(json.get("rows").get(2).get("time").asText()).isEqualTo("2026-11-22T10:01:00Z");
        assertThat(document).contains("\"value\":12000000000");
    }

    @Test
    void anExportWithoutRowsIsAnEmptyList() throws Exception {
        MetricExportPlan plan = new MetricExportPlan("web-1", "cpu.percent", FROM, FROM.plusSeconds(60),
                Resolution.RAW, FROM);
        JsonNode json = new ObjectMapper().readTree(MetricExportJson.opening(plan).utf8String()
                + MetricExportJson.closing().utf8String());
        assertThat(json.get("series").asText()).isEqualTo("cpu.percent");
        assertThat(json.get("rows")).isEmpty();
    }
}
