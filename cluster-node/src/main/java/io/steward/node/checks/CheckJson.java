package io.steward.node.checks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.protocol.WireFormat;
import java.util.List;

/**
 * A check's definition as JSON, the same on the API, in the index table and on the wire: read with field-named
 * errors, written with every default filled in.
 */
public final class CheckJson {
    private static final ObjectMapper MAPPER = WireFormat.mapper();
    /** Fields of an API answer that are not part of a definition: dropped when an answer is sent back. */
    private static final List<String> ANSWER_ONLY = List.of("id", "state", "since", "vantages", "certificate",
            "uptime", "latencyMillis", "failingAddresses", "group", "vantageSelection", "createdAt", "updatedAt",
            "mismatch");

    private CheckJson() {}

    /**
     * The spec in a request body: a definition plus an optional {@code group}. {@code vantageSelection} (what an
     * answer calls the definition's vantages) is accepted in place of {@code vantages}, so an answer can be sent
     * back as it is.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static CheckSpec spec(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("a check is a JSON object with at least name and kind");
        }
        ObjectNode definition = ((ObjectNode) body).deepCopy();
        JsonNode selection = definition.get("vantageSelection");
        JsonNode vantages = definition.get("vantages");
        String group = definition.hasNonNull("group") ? text("group", definition.get("group")) : null;
        ANSWER_ONLY.forEach(definition::remove);
        if (selection != null && !selection.isNull()) {
            definition.set("vantages", selection);
        } else if (vantages != null && !vantages.isNull()) {
            if (!vantages.isObject()) {
                throw new IllegalArgumentException("vantages: an object {\"kind\": \"all\"|\"servers\"|\"group\"|"
                        + "\"tag\"|\"local\", \"values\": [...]} (an answer's vantages list is state; send its"
                        + " vantageSelection)");
            }
            definition.set("vantages", vantages);
        }
        if (!definition.hasNonNull("kind")) {
            throw new IllegalArgumentException("kind: required, one of http, tcp, tls, dns");
        }
        return new CheckSpec(definition(definition), group);
    }

    /** A definition from its JSON. */
    public static CheckDefinition definition(JsonNode json) {
        try {
            return MAPPER.treeToValue(json, CheckDefinition.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(message(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a check definition: " + e.getOriginalMessage(), e);
        }
    }

    public static CheckDefinition definition(String json) {
        try {
            return definition(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The definition as JSON, every default filled in ({@code kind} first). */
    public static ObjectNode tree(CheckDefinition definition) {
        return MAPPER.valueToTree(definition);
    }

    public static String text(CheckDefinition definition) {
        try {
            return MAPPER.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a check definition could not be written as JSON", e);
        }
    }

    private static String text(String field, JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + ": a string");
        }
        return node.asText();
    }

    /** The constructor's own message (it names the field), else Jackson's with the path. */
    private static String message(JsonMappingException e) {
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                return cause.getMessage();
            }
            cause = cause.getCause();
        }
        String path = e.getPath().stream().map(reference -> reference.getFieldName() != null
                ? reference.getFieldName() : "[" + reference.getIndex() + "]").reduce((a, b) -> a + "." + b)
                .orElse("");
        String original = e.getOriginalMessage();
        if (original != null && original.contains("known type ids")) {
            return "kind: one of http, tcp, tls, dns";
        }
        return (path.isEmpty() ? "" : path + ": ") + (original == null ? "invalid" : original.split("\n")[0]);
    }
}
