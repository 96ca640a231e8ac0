package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.node.metrics.MetricRow;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportCellsTest {
    @Test
    void numbersArePlainDecimalsWithoutTrailingZeros() {
        assertThat(ExportCells.number(42.0)).isEqualTo("42");
        assertThat(ExportCells.number(0.125)).isEqualTo("0.125");
        assertThat(ExportCells.number(1.2e10)).isEqualTo("12000000000");
        assertThat(ExportCells.number(-0.0)).isEqualTo("0");
        assertThat(ExportCells.number(1e-7)).isEqualTo("0.0000001");
        assertThat(ExportCells.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void cellsFormatTimesListsAndAbsentValuesOneWay() {
        assertThat(ExportCells.text(null)).isEmpty();
        assertThat(ExportCells.text(Instant.parse("2026-11-22T10:00:00Z"))).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(ExportCells.text(List.of("ci", "x86"))).isEqualTo("ci x86");
        assertThat(ExportCells.text(true)).isEqualTo("true");
        assertThat(ExportCells.text(7L)).isEqualTo("7");
        assertThat(ExportCells.text(37.5)).isEqualTo("37.5");
    }

    @Test
    void textThatLooksLikeAFormulaIsMadeInertButNumbersStayNumbers() {
        assertThat(ExportCells.text("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(ExportCells.text("+1")).isEqualTo("'+1");
        assertThat(ExportCells.text("-cmd")).isEqualTo("'-cmd");
        assertThat(ExportCells.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(ExportCells.text("\tx")).isEqualTo("'\tx");
        assertThat(ExportCells.text(List.of("=a", "b"))).isEqualTo("'=a b");
        assertThat(ExportCells.text("web-01")).isEqualTo("web-01");
        assertThat(ExportCells.text(-3.5)).isEqualTo("-3.5");
        assertThat(ExportCells.text(-7L)).isEqualTo("-7");
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndEndsRecordsWithCrLf() {
        String text = ExportCells.rows(List.of(
                List.of("plain", "with, comma", "with \"quote\""),
                List.of("two\nlines", "", "x"))).utf8String();
        assertThat(text).isEqualTo("plain,\"with, comma\",\"with \"\"quote\"\"\"\r\n\"two\nlines\",,x\r\n");
        assertThat(ExportCells.header(ExportTables.METRIC_COLUMNS).utf8String()).isEqualTo("time,series,value\r\n");
    }

    @Test
    void aMetricRowIsItsTimeSeriesAndValue() {
        MetricRow row = new MetricRow(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(),
                "disk.percent{mount=/srv,data}", 40.0);
        assertThat(ExportTables.metricRow(row)).containsExactly("2026-11-22T10:00:00Z",
                "disk.percent{mount=/srv,data}", "40");
        assertThat(ExportCells.rows(List.of(ExportTables.metricRow(row))).utf8String())
                .isEqualTo("2026-11-22T10:00:00Z,\"disk.percent{mount=/srv,data}\",40\r\n");
        assertThat(Arrays.asList(ExportTables.METRIC_COLUMNS.toArray())).containsExactly("time", "series", "value");
    }
}
