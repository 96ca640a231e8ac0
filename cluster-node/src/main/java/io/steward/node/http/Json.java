package io.steward.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.node.problem.Problem;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.openapitools.jackson.nullable.JsonNullableModule;

/**
 * JSON in and out of the API, through typed records only: ISO-8601 timestamps and durations, nulls kept (the UI tells
 * "unknown" from "absent"), no silent coercion (a number is not a string), unknown fields ignored (newer clients).
 * A body that does not fit its record is an invalid-request {@link Problem} naming the field.
 */
public final class Json {
    public static final JsonMapper MAPPER = mapper();

    private Json() {}

    private static JsonMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new JsonNullableModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    static HttpResponse response(StatusCode status, Object body) {
        try {
            return HttpResponse.create()
                    .withStatus(status)
                    .withEntity(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode response", e);
        }
    }

    /** A value as JSON bytes (a response body built by hand, such as a download's). */
    static org.apache.pekko.util.ByteString bytes(Object body) {
        try {
            return org.apache.pekko.util.ByteString.fromArray(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode response", e);
        }
    }

    static HttpResponse ok(Object body) {
        return response(StatusCodes.OK, body);
    }

    static HttpResponse created(Object body) {
        return response(StatusCodes.CREATED, body);
    }

    /**
     * A request body that must be a JSON object, as a tree (for bodies read field by field); a mistake is an
     * invalid-request problem.
     */
    static com.fasterxml.jackson.databind.node.ObjectNode object(String body) {
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problem.invalid("malformed JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw Problem.invalid("request body must be a JSON object");
        }
        return (com.fasterxml.jackson.databind.node.ObjectNode) json;
    }

    /** Reads a request body into {@code type}; every mistake is an invalid-request problem that names the field. */
    static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw Problem.invalid("request body must be a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw Problem.invalid("request body must be a JSON object");
            }
            return value;
        } catch (ValueInstantiationException e) {
            // The record's own validation refused a value: its message names the field.
            if (e.getCause() instanceof Problem problem) {
                throw problem;
            }
            throw Problem.invalid(path(e) + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw Problem.invalid("request body must be a JSON object");
            }
            throw Problem.invalid(path(e).replaceAll(": $", "") + " must be " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw Problem.invalid("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** "tags[1]: " for a mistake in the second tag; empty at the top level. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return "text";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return "a number";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.stream(target.getEnumConstants())
                    .map(constant -> MAPPER.convertValue(constant, String.class))
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "an object";
        }
        return "of another type";
    }
}
