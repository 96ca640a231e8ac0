package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.Vantages;
import io.steward.core.checks.imports.ImportFormat;
import io.steward.core.checks.imports.ImportResult;
import io.steward.core.protocol.WireFormat;
import io.steward.node.checks.CheckJson;
import io.steward.node.problem.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/checks/import} and its answer. */
record ChecksImport(ImportFormat format, String content, boolean dryRun, @Nullable Vantages vantages) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static ChecksImport parse(String text) {
        JsonNode json = Json.object(text);
        if (!json.path("content").isTextual() || json.get("content").asText().isBlank()) {
            throw Problem.invalid("content: the file's text, required");
        }
        try {
            ImportFormat format = ImportFormat.of(json.path("format").isTextual() ? json.get("format").asText() : null);
            Vantages vantages = json.hasNonNull("vantages")
                    ? WireFormat.mapper().treeToValue(json.get("vantages"), Vantages.class) : null;
            return new ChecksImport(format, json.get("content").asText(), json.path("dryRun").asBoolean(false),
                    vantages);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Throwable cause = e.getCause();
            throw Problem.invalid(cause instanceof IllegalArgumentException ? cause.getMessage()
                    : "vantages: {\"kind\": \"all\"|\"servers\"|\"group\"|\"tag\"|\"local\", \"values\": [...]}");
        }
    }

    /** {@code created}: the checks made (or, on a dry run, the definitions that would be), then what was skipped. */
    static ObjectNode answer(ImportResult result, @Nullable List<ObjectNode> created) {
        ObjectNode answer = NODES.objectNode();
        ArrayNode checks = answer.putArray("created");
        if (created != null) {
            created.forEach(checks::add);
        } else {
            for (ImportResult.Imported imported : result.checks()) {
                ObjectNode item = CheckJson.tree(imported.definition());
                item.put("group", imported.group());
                item.set("notes", Json.MAPPER.valueToTree(imported.notes()));
                checks.add(item);
            }
        }
        ArrayNode skipped = answer.putArray("skipped");
        for (ImportResult.Skipped skip : result.skipped()) {
            ObjectNode item = skipped.addObject();
            item.put("name", skip.name());
            item.put("reason", skip.reason());
        }
        answer.put("dryRun", created == null);
        return answer;
    }
}
