package io.steward.core.checks.imports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reading an import file into a JSON tree within fixed bounds. Whole-file problems (not JSON/YAML, too large, too
 * many entries, the wrong shape) are {@link IllegalArgumentException}s naming the field, for a 400 answer.
 */
final class ImportInput {
    /** The largest file accepted; real backups and configs are far smaller. */
    static final int MAX_BYTES = 5 * 1024 * 1024;
    /** The most monitors or endpoints in one file. */
    static final int MAX_ENTRIES = 5_000;
    /**
     * The most values a YAML file may expand to once its aliases are resolved: an alias shares its anchor's value, so
     * a small file with nested aliases can stand for billions of values ("billion laughs").
     */
    static final int MAX_VALUES = 1_000_000;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ImportInput() {}

    /** The JSON document {@code content}. */
    static JsonNode json(String content) {
        checkSize(content);
        try {
            return JSON.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("content: not JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    /**
     * The YAML document {@code content}, anchors, aliases and merge keys ({@code <<: *defaults}) resolved, with the
     * safe loader: plain maps, lists and scalars only, no Java types named by tags.
     */
    static JsonNode yaml(String content) {
        checkSize(content);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        // Each "<<: *defaults" counts; the expansion itself is bounded by MAX_VALUES below.
        options.setMaxAliasesForCollections(4 * MAX_ENTRIES);
        DumperOptions unused = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(unused), unused, options);
        Object document;
        try {
            document = yaml.load(content);
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark();
            throw new IllegalArgumentException("content: not YAML: " + e.getProblem()
                    + (at == null ? "" : " (line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ")"));
        } catch (YAMLException e) {
            throw new IllegalArgumentException("content: not YAML: " + e.getMessage());
        }
        return new TreeBuilder().node(document);
    }

    /**
     * The array {@code root.field}, or an empty list when absent.
     *
     * @param what the name of one entry in the other tool, for messages ("monitors", "endpoints")
     */
    static List<JsonNode> entries(JsonNode root, String field, String what) {
        JsonNode value = root.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(field + ": must be a list of " + what);
        }
        if (value.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(field + ": at most " + MAX_ENTRIES + " " + what + ", was "
                    + value.size());
        }
        List<JsonNode> entries = new ArrayList<>();
        value.forEach(entries::add);
        return entries;
    }

    private static void checkSize(String content) {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("content: required, the file's text");
        }
        // A char is at least one UTF-8 byte: only a long text needs counting.
        if (content.length() > MAX_BYTES
                || (content.length() > MAX_BYTES / 3 && content.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)) {
            throw new IllegalArgumentException("content: at most 5 MiB");
        }
    }

    /** Converts the loader's maps, lists and scalars into a JSON tree, counting values against MAX_VALUES. */
    private static final class TreeBuilder {
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        private int values;

        JsonNode node(Object value) {
            if (++values > MAX_VALUES) {
                throw new IllegalArgumentException("content: expands to more than " + MAX_VALUES
                        + " values through YAML aliases");
            }
            if (value == null) {
                return nodes.nullNode();
            }
            if (value instanceof Map<?, ?> map) {
                ObjectNode object = nodes.objectNode();
                map.forEach((key, item) -> object.set(String.valueOf(key), node(item)));
                return object;
            }
            if (value instanceof Collection<?> collection) {
                ArrayNode array = nodes.arrayNode();
                collection.forEach(item -> array.add(node(item)));
                return array;
            }
            if (value instanceof String text) {
                return nodes.textNode(text);
            }
            if (value instanceof Boolean bool) {
                return nodes.booleanNode(bool);
            }
            if (value instanceof Integer number) {
                return nodes.numberNode(number);
            }
            if (value instanceof Long number) {
                return nodes.numberNode(number);
            }
            if (value instanceof BigInteger number) {
                return nodes.numberNode(number);
            }
            if (value instanceof Double number) {
                return Double.isFinite(number) ? nodes.numberNode(number) : nodes.textNode(number.toString());
            }
            if (value instanceof Date date) {
                return nodes.textNode(date.toInstant().toString());
            }
            if (value instanceof byte[] bytes) {
                return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            return nodes.textNode(String.valueOf(value));
        }
    }
}
