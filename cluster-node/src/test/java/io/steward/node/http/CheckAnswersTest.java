package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.CheckState;
import org.junit.jupiter.api.Test;

class CheckAnswersTest {
    @Test
    void viewersSeeNoHeaderValuesOrUrlCredentials() throws Exception {
        ObjectNode answer = (ObjectNode) new ObjectMapper().readTree("""
                {"url":"https://monitor:s3cret@shop.example/health","headers":{"Authorization":"Bearer abc"}}""");
        ObjectNode masked = CheckAnswers.masked(answer);
        assertThat(masked.get("url").asText()).isEqualTo("https://shop.example/health");
        assertThat(masked.get("headers").get("Authorization").asText()).isEqualTo("(hidden)");
        assertThat(answer.get("headers").get("Authorization").asText()).as("the original is unchanged")
                .isEqualTo("Bearer abc");
    }

    @Test
    void aStatusPageHeadlinesItsWorstCheck() {
        assertThat(StatusRoutes.worse(CheckState.UP, CheckState.PARTIAL)).isEqualTo(CheckState.PARTIAL);
        assertThat(StatusRoutes.worse(CheckState.DOWN, CheckState.MAINTENANCE)).isEqualTo(CheckState.DOWN);
        assertThat(StatusRoutes.worse(CheckState.UP, CheckState.PENDING)).isEqualTo(CheckState.PENDING);
    }
}
