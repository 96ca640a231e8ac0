package io.steward.core.checks.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.checks.Vantages;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import request's {@code format} picks the converter. */
class ImportFormatTest {
    @Test
    void theRequestsFormatNamesPickTheConverter() {
        assertThat(ImportFormat.of("uptime-kuma")).isEqualTo(ImportFormat.UPTIME_KUMA);
        assertThat(ImportFormat.of("gatus")).isEqualTo(ImportFormat.GATUS);
        ImportResult gatus = ImportFormat.GATUS.parse("endpoints:\n  - name: site\n    url: https://a.example.org\n",
                null);
        assertThat(gatus.checks()).singleElement().satisfies(check -> {
            assertThat(check.definition().name()).isEqualTo("site");
            assertThat(check.definition().vantages()).isEqualTo(Vantages.LOCAL);
        });
        Vantages web = new Vantages(Vantages.Kind.GROUP, List.of("web"));
        ImportResult kuma = ImportFormat.UPTIME_KUMA.parse("{\"monitorList\":[{\"name\":\"db\",\"type\":\"port\","
                + "\"hostname\":\"db.internal\",\"port\":5432}]}", web);
        assertThat(kuma.checks()).singleElement()
                .satisfies(check -> assertThat(check.definition().vantages()).isEqualTo(web));
    }

    @Test
    void anUnknownFormatOrAFileOfAnotherFormatIsRefused() {
        assertThatThrownBy(() -> ImportFormat.of("kuma")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format: must be one of uptime-kuma, gatus, was 'kuma'");
        assertThatThrownBy(() -> ImportFormat.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format: must be one of uptime-kuma, gatus");
        assertThatThrownBy(() -> ImportFormat.UPTIME_KUMA.parse("endpoints: []\n", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("content: not JSON");
        // JSON is YAML too: a backup handed to the Gatus reader is refused for what it lacks.
        assertThatThrownBy(() -> ImportFormat.GATUS.parse("{\"monitorList\": []}", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("endpoints: required");
    }
}
