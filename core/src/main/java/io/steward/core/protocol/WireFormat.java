package io.steward.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON encoding of the protocol, shared by agent and node so both sides agree byte for byte.
 *
 * <p>Unknown properties are ignored: a newer agent may add fields within the same protocol version; a change that
 * breaks old readers must bump {@link ProtocolVersion#CURRENT}.
 */
public final class WireFormat {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private WireFormat() {}

    /** A mapper configured like the wire; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(AgentMessage message) {
        return write(message);
    }

    public static String encode(NodeMessage message) {
        return write(message);
    }

    /** Parses an agent frame; a {@link MalformedMessageException} says what is wrong in words an operator can act on. */
    public static AgentMessage decodeAgentMessage(String json) throws MalformedMessageException {
        return read(json, AgentMessage.class);
    }

    public static NodeMessage decodeNodeMessage(String json) throws MalformedMessageException {
        return read(json, NodeMessage.class);
    }

    private static String write(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) throws MalformedMessageException {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new MalformedMessageException("empty message");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException(e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            // Thrown by the records' compact constructors: a well-formed JSON with invalid content.
            throw new MalformedMessageException(e.getMessage());
        }
    }

    /** A frame that is not a valid protocol message. */
    public static final class MalformedMessageException extends Exception {
        public MalformedMessageException(String message) {
            super(message);
        }
    }
}
