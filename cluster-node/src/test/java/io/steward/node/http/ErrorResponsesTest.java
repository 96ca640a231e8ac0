package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.problem.Problem;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

/** One error model: a code, a status from one table, a body of error and code; never a status from message text. */
class ErrorResponsesTest {

    record Sample(String name, Integer count, List<String> tags) {}

    private static JsonNode body(HttpResponse response) throws Exception {
        return Json.MAPPER.readTree(((HttpEntity.Strict) response.entity()).getData().utf8String());
    }

    @Test
    void everyCodeHasAStatusAndTheBodyNamesTheCode() throws Exception {
        for (Problem.Code code : Problem.Code.values()) {
            assertThat(ErrorResponses.STATUS).as(code.name()).containsKey(code);
        }
        HttpResponse response = ErrorResponses.of(new CompletionException(Problem.notConnected("the agent is away")));
        assertThat(response.status()).isEqualTo(StatusCodes.SERVICE_UNAVAILABLE);
        assertThat(body(response).get("error").asText()).isEqualTo("the agent is away");
        assertThat(body(response).get("code").asText()).isEqualTo("not-connected");
    }

    @Test
    void theMessageTextNeverChoosesTheStatus() {
        // Words that once chose a status when it was read from the message.
        assertThat(ErrorResponses.of(Problem.invalid("unknown server x")).status()).isEqualTo(StatusCodes.BAD_REQUEST);
        assertThat(ErrorResponses.of(Problem.notFound("the agent is not connected")).status())
                .isEqualTo(StatusCodes.NOT_FOUND);
    }

    @Test
    void anUnexpectedIllegalArgumentIsAnInternalErrorWithAnIdNotABadRequest() throws Exception {
        HttpResponse response = ErrorResponses.of(new IllegalArgumentException("a bug's details"));
        assertThat(response.status()).isEqualTo(StatusCodes.INTERNAL_SERVER_ERROR);
        JsonNode body = body(response);
        assertThat(body.get("code").asText()).isEqualTo("internal");
        assertThat(body.get("error").asText()).matches("internal error [0-9a-f]{8}; see the node log")
                .doesNotContain("a bug's details");
    }

    @Test
    void aRequestBodyMistakeNamesTheField() {
        for (String[] bad : new String[][] {
                {"{\"name\": 5}", "name must be text"},
                {"{\"count\": \"5\"}", "count must be a whole number"},
                {"{\"count\": 1.5}", "count must be a whole number"},
                {"{\"tags\": [\"a\", {}]}", "tags[1] must be text"},
                {"[1, 2]", "request body must be a JSON object"},
                {"{\"name\": ", "malformed JSON"}}) {
            try {
                Json.read(bad[0], Sample.class);
                throw new AssertionError("accepted " + bad[0]);
            } catch (Problem problem) {
                assertThat(problem.code()).isEqualTo(Problem.Code.INVALID);
                assertThat(problem.getMessage()).as(bad[0]).contains(bad[1]);
            }
        }
    }

    @Test
    void aRejectionKeepsItsStatusAndGetsTheCodeItStandsFor() throws Exception {
        HttpResponse response = ErrorResponses.rejection(StatusCodes.METHOD_NOT_ALLOWED, "HTTP method not allowed");
        assertThat(response.status()).isEqualTo(StatusCodes.METHOD_NOT_ALLOWED);
        assertThat(body(response).get("code").asText()).isEqualTo("invalid");
        assertThat(ErrorResponses.rejection(StatusCodes.UNAUTHORIZED, "who").status())
                .isEqualTo(StatusCodes.UNAUTHORIZED);
        assertThat(body(ErrorResponses.rejection(StatusCodes.UNAUTHORIZED, "who")).get("code").asText())
                .isEqualTo("unauthenticated");
    }

    @Test
    void aServiceActionIsReadInAnyCaseAndAnUnknownOneNamesTheChoices() {
        assertThat(Json.read("{\"action\": \"Restart\"}", ServiceRoutes.ActionRequest.class).action())
                .isEqualTo(ServiceRoutes.ActionName.RESTART);
        assertThat(Json.read("{\"action\": \"stop\"}", ServiceRoutes.ActionRequest.class).action())
                .isEqualTo(ServiceRoutes.ActionName.STOP);
        try {
            Json.read("{\"action\": \"reboot\"}", ServiceRoutes.ActionRequest.class);
            throw new AssertionError("accepted reboot");
        } catch (Problem problem) {
            assertThat(problem.code()).isEqualTo(Problem.Code.INVALID);
            assertThat(problem.getMessage()).contains("start, stop or restart");
        }
    }
}
