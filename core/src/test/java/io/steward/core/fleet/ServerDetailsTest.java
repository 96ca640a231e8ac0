package io.steward.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerDetailsTest {

    @Test
    void acceptsReasonableDetailsAndClearsBlankOnes() {
        assertThat(ServerDetails.checkDisplayName("Web front (EU)")).isEmpty();
        assertThat(ServerDetails.checkDisplayName(null)).isEmpty();
        assertThat(ServerDetails.normalizeText("   ")).isNull();
        assertThat(ServerDetails.normalizeText("  db  ")).isEqualTo("db");
        assertThat(ServerDetails.checkTags(List.of("env=prod", "eu-west", "k8s:node"))).isEmpty();
        assertThat(ServerDetails.normalizeTags(List.of(" web ", "web", "db"))).containsExactly("web", "db");
    }

    @Test
    void refusesWhatWouldBreakTheUiOrTheStore() {
        assertThat(ServerDetails.checkDisplayName("x".repeat(101))).get().asString().contains("at most 100");
        assertThat(ServerDetails.checkGroup("evil\u0000group")).get().asString().contains("control");
        assertThat(ServerDetails.checkTags(List.of("has space"))).get().asString().contains("invalid tag");
        assertThat(ServerDetails.checkTags(Arrays.asList("ok", null))).isPresent();
        assertThat(ServerDetails.checkTags(java.util.Collections.nCopies(21, "t"))).get().asString()
                .contains("at most 20");
        assertThat(ServerDetails.checkNotes("n".repeat(4001))).isPresent();
    }
}
