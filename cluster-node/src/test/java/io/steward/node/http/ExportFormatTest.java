package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.node.problem.Problem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportFormatTest {
    private static final List<ExportFormat> BOTH = List.of(ExportFormat.CSV, ExportFormat.JSON);

    @Test
    void absentMeansTheFirstAllowedFormatAndCaseDoesNotMatter() {
        assertThat(ExportFormat.parse(Optional.empty(), BOTH)).isEqualTo(ExportFormat.CSV);
        assertThat(ExportFormat.parse(Optional.of("JSON"), BOTH)).isEqualTo(ExportFormat.JSON);
        assertThat(ExportFormat.parse(Optional.of(" csv "), BOTH)).isEqualTo(ExportFormat.CSV);
    }

    @Test
    void anotherFormatIsRefusedNamingTheFieldAndTheChoices() {
        assertThatThrownBy(() -> ExportFormat.parse(Optional.of("xml"), BOTH))
                .isInstanceOfSatisfying(Problem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(Problem.Code.INVALID);
                    assertThat(problem).hasMessage("format must be csv or json");
                });
        assertThatThrownBy(() -> ExportFormat.parse(Optional.of("json"), List.of(ExportFormat.CSV)))
                .hasMessage("format must be csv");
    }

    @Test
    void csvIsUtf8Text() {
        assertThat(ExportFormat.CSV.contentType().toString()).isEqualTo("text/csv; charset=UTF-8");
        assertThat(ExportFormat.JSON.contentType().toString()).isEqualTo("application/json");
    }
}
