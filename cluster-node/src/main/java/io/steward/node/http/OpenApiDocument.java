package io.steward.node.http;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.classmate.ResolvedType;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openapitools.jackson.nullable.JsonNullable;

/**
 * The OpenAPI 3.1 document of the API, served at {@code /api/openapi.json}: the paths, methods and access rules from
 * {@link ApiEndpoints} (the table the node enforces), their words and body types from {@link ApiDocs}, and JSON
 * Schemas (draft 2020-12, OpenAPI 3.1's own) generated from the very records the node serializes, with their Jackson
 * names, enum values and {@link Nullable} fields. Built once per node.
 */
final class OpenApiDocument {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    private static final String SCHEMAS = "components/schemas";

    private OpenApiDocument() {}

    /** The document; {@code version} is the node's. */
    static ObjectNode build(String version) {
        SchemaBuilder schemas = schemaGenerator().buildMultipleSchemaDefinitions();
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("openapi", "3.1.0");
        ObjectNode info = document.putObject("info");
        info.put("title", "Steward API");
        info.put("version", version);
        info.put("description", "Every endpoint of a Steward node. Log in with POST /api/auth/login (a session"
                + " cookie; state-changing requests from a browser also need a same-origin Origin header) or send an"
                + " API token as 'Authorization: Bearer …'. Errors answer {\"error\": message, \"code\": kind}; the code"
                + " alone chooses the status.");
        document.putArray("servers").addObject().put("url", "/");
        ArrayNode tags = document.putArray("tags");
        ApiDocs.tags().forEach(tag -> tags.addObject().put("name", tag));
        ArrayNode security = document.putArray("security");
        security.addObject().putArray("session");
        security.addObject().putArray("token");

        ObjectNode paths = document.putObject("paths");
        for (ApiEndpoints.Endpoint endpoint : ApiEndpoints.all()) {
            ApiDocs.Doc doc = ApiDocs.all().get(endpoint.method() + " " + endpoint.path());
            if (doc == null) {
                throw new IllegalStateException("no description of " + endpoint.method() + " " + endpoint.path()
                        + " in ApiDocs");
            }
            ObjectNode path = paths.has(endpoint.path()) ? (ObjectNode) paths.get(endpoint.path())
                    : paths.putObject(endpoint.path());
            path.set(endpoint.method().toLowerCase(Locale.ROOT), operation(endpoint, endpoint.path(), doc, schemas));
        }
        for (ApiDocs.Outside outside : ApiDocs.outside()) {
            paths.putObject(outside.path()).set(outside.method().toLowerCase(Locale.ROOT), operation(
                    new ApiEndpoints.Endpoint(outside.method(), "/api" + outside.path(), outside.access()),
                    outside.path(), outside.doc(), schemas));
        }
        ObjectNode components = document.putObject("components");
        components.set("schemas", schemas.collectDefinitions(SCHEMAS));
        ObjectNode schemes = components.putObject("securitySchemes");
        ObjectNode cookie = schemes.putObject("session");
        cookie.put("type", "apiKey");
        cookie.put("in", "cookie");
        cookie.put("name", ApiDirectives.SESSION_COOKIE);
        ObjectNode bearer = schemes.putObject("token");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("description", "An API token (POST /api/tokens); an admin-scoped token of an admin may call admin"
                + " endpoints");
        components.putObject("responses").set("Problem", problem(schemas));
        return document;
    }

    /** One operation; {@code path} is what the document lists (the endpoint's, or a path outside {@code /api}). */
    private static ObjectNode operation(ApiEndpoints.Endpoint endpoint, String path, ApiDocs.Doc doc,
            SchemaBuilder schemas) {
        ObjectNode operation = Json.MAPPER.createObjectNode();
        operation.putArray("tags").add(doc.tag());
        operation.put("summary", doc.summary());
        operation.put("operationId", operationId(endpoint.method(), path));
        String access = endpoint.access().name().toLowerCase(Locale.ROOT);
        operation.put("x-steward-access", access);
        if (endpoint.access() == ApiEndpoints.Access.ADMIN) {
            operation.put("description", "Needs the admin role.");
        }
        if (endpoint.access() == ApiEndpoints.Access.PUBLIC) {
            operation.putArray("security").addObject();
        }
        ArrayNode parameters = Json.MAPPER.createArrayNode();
        Matcher placeholders = PLACEHOLDER.matcher(path);
        while (placeholders.find()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", placeholders.group(1));
            parameter.put("in", "path");
            parameter.put("required", true);
            parameter.putObject("schema").put("type", "string");
        }
        for (ApiDocs.Param param : doc.query()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", param.name());
            parameter.put("in", "query");
            parameter.put("required", param.required());
            parameter.put("description", param.description());
            parameter.putObject("schema").put("type", "string");
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        if (doc.request() != null) {
            ObjectNode body = operation.putObject("requestBody");
            body.put("required", true);
            body.set("content", content(doc.request(), schemas));
        }
        ObjectNode responses = operation.putObject("responses");
        ObjectNode answer = responses.putObject(Integer.toString(doc.status()));
        answer.put("description", doc.answer().description().isEmpty() ? doc.summary() : doc.answer().description());
        answer.set("content", content(doc.answer(), schemas));
        List<String> errors = new ArrayList<>(List.of("400", "404"));
        if (endpoint.access() != ApiEndpoints.Access.PUBLIC) {
            errors.addAll(List.of("401", "403"));
        }
        errors.stream().sorted().forEach(code -> responses.putObject(code)
                .put("$ref", "#/components/responses/Problem"));
        return operation;
    }

    private static ObjectNode content(ApiDocs.Body body, SchemaBuilder schemas) {
        ObjectNode content = Json.MAPPER.createObjectNode();
        ObjectNode media = content.putObject(body.mediaType());
        ObjectNode schema;
        if (body.type() == null) {
            schema = Json.MAPPER.createObjectNode();
            if (body.mediaType().equals("application/json")) {
                schema.put("type", "object");
            } else {
                schema.put("type", "string");
            }
            if (!body.description().isEmpty()) {
                schema.put("description", body.description());
            }
        } else if (body.list()) {
            schema = Json.MAPPER.createObjectNode();
            schema.put("type", "array");
            schema.set("items", schemas.createSchemaReference(body.type()));
        } else {
            schema = schemas.createSchemaReference(body.type());
        }
        media.set("schema", schema);
        return content;
    }

    private static ObjectNode problem(SchemaBuilder schemas) {
        ObjectNode problem = Json.MAPPER.createObjectNode();
        problem.put("description", "The request was refused: the code and message say why");
        problem.putObject("content").putObject("application/json")
                .set("schema", schemas.createSchemaReference(ErrorResponses.ErrorBody.class));
        return problem;
    }

    /** {@code GET /api/servers/{id}/metrics} → {@code getServersIdMetrics}: unique, since the table is. */
    private static String operationId(String method, String path) {
        StringBuilder id = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String segment : path.replaceFirst("^/api/", "/").split("[/.-]")) {
            String word = segment.replace("{", "").replace("}", "");
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }

    private static SchemaGenerator schemaGenerator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(Json.MAPPER,
                SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_ORDER))
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.ADDITIONAL_FIXED_TYPES,
                        Option.EXTRA_OPEN_API_FORMAT_VALUES, Option.NULLABLE_ARRAY_ITEMS_ALLOWED)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // A field the patch may leave out: its schema is the wrapped type's.
        config.forFields().withTargetTypeOverridesResolver(field -> field.getType().getErasedType()
                == JsonNullable.class ? List.of(field.getType().getTypeParameters().get(0)) : null);
        config.forFields().withNullableCheck(OpenApiDocument::nullable);
        config.forFields().withRequiredCheck(field -> !nullable(field)
                && field.getDeclaredType().getErasedType() != JsonNullable.class);
        config.forTypesInGeneral().withCustomDefinitionProvider(OpenApiDocument::special);
        config.forTypesInGeneral().withDefinitionNamingStrategy(
                (key, context) -> wireName(key.getType().getErasedType()));
        return new SchemaGenerator(config.build());
    }

    /**
     * The name the dashboard's generated TypeScript gives a type ({@code wire.generated.ts}): a nested type carries
     * its outer type's name ({@code ServicesBodyRecoveryState}), except inside a {@code *Routes} class, so the two
     * {@code Kind}s of the API are told apart and a client generator names them as our own code does.
     */
    private static String wireName(Class<?> type) {
        Class<?> outer = type.getEnclosingClass();
        return outer == null || outer.getSimpleName().endsWith("Routes") || outer.getSimpleName().endsWith("Responses")
                ? type.getSimpleName() : outer.getSimpleName() + type.getSimpleName();
    }

    /** {@link Nullable} is a type-use annotation: it sits on the field's type, where reflection shows it. */
    private static boolean nullable(FieldScope field) {
        Field raw = field.getRawMember();
        return raw.getAnnotatedType().isAnnotationPresent(Nullable.class)
                || raw.isAnnotationPresent(Nullable.class);
    }

    /**
     * Enums by the names the mapper writes (lower case or their {@code @JsonValue}), and records written as arrays
     * ({@code @JsonFormat(shape = ARRAY)}, e.g. chart points {@code [epochMillis, value]}) as tuples, maps inline
     * as objects of their value type (a named definition per map type would be called {@code Map(K,V)}, which is
     * no valid OpenAPI component name).
     */
    private static @Nullable CustomDefinition special(ResolvedType type, SchemaGenerationContext context) {
        Class<?> raw = type.getErasedType();
        if (Map.class.isAssignableFrom(raw)) {
            ObjectNode schema = context.getGeneratorConfig().createObjectNode();
            schema.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "object");
            List<ResolvedType> parameters = type.typeParametersFor(Map.class);
            if (parameters != null && parameters.size() == 2) {
                schema.set(context.getKeyword(SchemaKeyword.TAG_ADDITIONAL_PROPERTIES),
                        context.createDefinitionReference(parameters.get(1)));
            }
            return new CustomDefinition(schema, CustomDefinition.DefinitionType.INLINE,
                    CustomDefinition.AttributeInclusion.YES);
        }
        if (raw.isEnum()) {
            ObjectNode schema = context.getGeneratorConfig().createObjectNode();
            schema.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "string");
            ArrayNode values = schema.putArray(context.getKeyword(SchemaKeyword.TAG_ENUM));
            for (Object constant : raw.getEnumConstants()) {
                JsonNode value = Json.MAPPER.valueToTree(constant);
                values.add(value);
            }
            return new CustomDefinition(schema, CustomDefinition.DefinitionType.STANDARD,
                    CustomDefinition.AttributeInclusion.NO);
        }
        if (raw.isRecord() && raw.isAnnotationPresent(JsonFormat.class)
                && raw.getAnnotation(JsonFormat.class).shape() == JsonFormat.Shape.ARRAY) {
            ObjectNode schema = context.getGeneratorConfig().createObjectNode();
            schema.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "array");
            ArrayNode items = schema.putArray("prefixItems");
            for (RecordComponent component : raw.getRecordComponents()) {
                items.add(context.createDefinitionReference(context.getTypeContext().resolve(
                        component.getGenericType())));
            }
            schema.put("items", false);
            schema.put("description", "[" + String.join(", ", Arrays.stream(raw.getRecordComponents())
                    .map(RecordComponent::getName).toList()) + "]");
            return new CustomDefinition(schema, CustomDefinition.DefinitionType.STANDARD,
                    CustomDefinition.AttributeInclusion.NO);
        }
        return null;
    }
}
