package io.steward.node.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.Vantages;
import io.steward.node.server.ServerSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestBecomesASpecWithItsGroupAndDefaultsAndMistakesNameTheirField() throws Exception {
        CheckSpec spec = CheckJson.spec(json("""
                {"name":"Shop","kind":"http","url":"https://shop.example/","group":"Public",
                 "vantages":{"kind":"tag","values":["eu"]}}"""));
        assertThat(spec.group()).isEqualTo("Public");
        CheckDefinition.Http http = (CheckDefinition.Http) spec.definition();
        assertThat(http.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(http.retries()).isEqualTo(2);
        assertThat(http.vantages().kind()).isEqualTo(Vantages.Kind.TAG);

        assertThatThrownBy(() -> CheckJson.spec(json("{\"name\":\"x\",\"kind\":\"http\",\"url\":\"https://a/\","
                + "\"interval\":\"PT2H\"}"))).hasMessageStartingWith("interval");
        assertThatThrownBy(() -> CheckJson.spec(json("{\"name\":\"x\",\"kind\":\"smtp\"}")))
                .hasMessageStartingWith("kind");
        assertThatThrownBy(() -> CheckJson.spec(json("{\"name\":\"x\",\"kind\":\"tcp\",\"host\":\"db\"}")))
                .hasMessageStartingWith("port");
        assertThatThrownBy(() -> CheckJson.spec(json("{\"name\":\"x\",\"kind\":\"tcp\",\"host\":\"db\","
                + "\"port\":5432,\"vantages\":[{\"serverId\":\"a\"}]}"))).hasMessageStartingWith("vantages");
    }

    @Test
    void anAnswerSentBackAsItIsKeepsItsVantageSelection() throws Exception {
        CheckSpec spec = CheckJson.spec(json("""
                {"id":"shop-abc123","name":"Shop","kind":"tcp","host":"db","port":5432,"state":"down",
                 "vantages":[{"serverId":"a","state":"down"}],"vantageSelection":{"kind":"servers","values":["a"]},
                 "uptime":{"day":1.0},"certificate":null}"""));
        assertThat(spec.definition().vantages()).isEqualTo(new Vantages(Vantages.Kind.SERVERS, List.of("a")));
    }

    @Test
    void vantagesResolveAgainstTheFleet() {
        List<ServerSummary> fleet = List.of(server("web-1", "eu", List.of("edge")), server("web-2", "us", List.of()),
                server("local-1", null, List.of()));
        assertThat(VantageResolver.resolve(new Vantages(Vantages.Kind.ALL, List.of()), fleet, List.of()))
                .containsExactly("web-1", "web-2", "local-1");
        assertThat(VantageResolver.resolve(new Vantages(Vantages.Kind.GROUP, List.of("eu")), fleet, List.of()))
                .containsExactly("web-1");
        assertThat(VantageResolver.resolve(new Vantages(Vantages.Kind.TAG, List.of("edge")), fleet, List.of()))
                .containsExactly("web-1");
        assertThat(VantageResolver.resolve(new Vantages(Vantages.Kind.SERVERS, List.of("web-2", "gone")), fleet,
                List.of())).containsExactly("web-2");
        assertThat(VantageResolver.resolve(Vantages.LOCAL, fleet, List.of("local-1"))).containsExactly("local-1");
        assertThat(VantageResolver.resolve(Vantages.LOCAL, fleet, List.of())).isEmpty();
    }

    private static ServerSummary server(String id, String group, List<String> tags) {
        return new ServerSummary(id, id, null, group, tags, null, true, Instant.now(), "1", Instant.now(), null,
                List.of(), null, null, null, null, null, 0, 0);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
