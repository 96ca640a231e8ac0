package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document cannot drift: every endpoint the node enforces is described and nothing else, an OpenAPI
 * parser reads it without a complaint, and its schemas say what the records really serialize to.
 */
class OpenApiDocumentTest {
    private static final ObjectNode DOCUMENT = OpenApiDocument.build("test");

    @Test
    void everyEnforcedEndpointIsDescribedAndNoDescriptionIsOfAnEndpointThatDoesNotExist() {
        Set<String> enforced = new TreeSet<>();
        ApiEndpoints.all().forEach(endpoint -> enforced.add(endpoint.method() + " " + endpoint.path()));
        assertThat(new TreeSet<>(ApiDocs.all().keySet())).isEqualTo(enforced);

        Set<String> documented = new TreeSet<>();
        DOCUMENT.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        Set<String> expected = new TreeSet<>(enforced);
        ApiDocs.outside().forEach(outside -> expected.add(outside.method() + " " + outside.path()));
        assertThat(documented).isEqualTo(expected);
    }

    @Test
    void anOpenApiParserReadsItAsAValid31DocumentWithNoMessages() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(Json.MAPPER.writeValueAsString(DOCUMENT), null,
                options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).containsKey("/api/servers/{id}/metrics");
        List<String> unresolved = new ArrayList<>();
        DOCUMENT.findValues("$ref").forEach(ref -> {
            String target = ref.asText();
            JsonNode found = DOCUMENT.at(target.substring(1));
            if (found.isMissingNode()) {
                unresolved.add(target);
            }
        });
        assertThat(unresolved).as("references to nothing").isEmpty();
    }

    @Test
    void accessIsStatedPerOperation() {
        JsonNode login = DOCUMENT.at("/paths/~1api~1auth~1login/post");
        assertThat(login.get("security")).as("public: no credentials").hasSize(1);
        assertThat(login.get("security").get(0)).isEmpty();
        assertThat(login.get("x-steward-access").asText()).isEqualTo("public");
        JsonNode delete = DOCUMENT.at("/paths/~1api~1servers~1{id}/delete");
        assertThat(delete.get("x-steward-access").asText()).isEqualTo("admin");
        assertThat(delete.has("security")).as("the document-wide session or token applies").isFalse();
        assertThat(delete.at("/parameters/0/name").asText()).isEqualTo("id");
        assertThat(delete.at("/responses/403/$ref").asText()).isEqualTo("#/components/responses/Problem");
        JsonNode metrics = DOCUMENT.at("/paths/~1api~1servers~1{id}~1metrics/get/parameters");
        assertThat(metrics.findValuesAsText("name")).containsExactly("id", "name", "from", "to");
        assertThat(metrics.get(1).get("required").asBoolean()).isTrue();
    }

    @Test
    void schemasAreWhatTheRecordsSerializeTo() {
        JsonNode schemas = DOCUMENT.at("/components/schemas");
        // Named as the dashboard's generated TypeScript names them: nested types carry their outer type's name.
        assertThat(iterable(schemas.fieldNames())).contains("ServicesBodyRecoveryState", "MetricsReportCpuStats",
                "ClusterSnapshotMember");
        JsonNode detail = schemas.get("ServerDetailBody");
        // @JsonUnwrapped: the summary's fields sit beside the detail's own.
        assertThat(flatProperties(detail, schemas)).contains("id", "system", "latest", "recent");
        // @Nullable: the field may be null, and a request may leave it out.
        JsonNode login = schemas.get("LoginRequest");
        assertThat(login.at("/properties/remember/type").toString()).contains("null");
        assertThat(login.get("required").toString()).contains("username", "password").doesNotContain("remember");
        // JsonNullable (PATCH): optional, typed by what it wraps.
        JsonNode patch = schemas.get("ServerPatchRequest");
        assertThat(patch.has("required")).isFalse();
        assertThat(patch.at("/properties/tags/type").toString()).contains("array");
        // Enums by their wire names; chart points as [epochMillis, value] tuples.
        assertThat(DOCUMENT.toString()).contains("\"gave-up\"");
        JsonNode point = schemas.get("SeriesPoint");
        assertThat(point.get("type").asText()).isEqualTo("array");
        assertThat(point.get("prefixItems")).hasSize(2);
    }

    private static List<String> flatProperties(JsonNode schema, JsonNode schemas) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        for (JsonNode part : schema.path("allOf")) {
            JsonNode target = part.has("$ref")
                    ? schemas.get(part.get("$ref").asText().substring("#/components/schemas/".length())) : part;
            names.addAll(flatProperties(target, schemas));
        }
        return names;
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
