package dev.qrauth.protocol.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Objects;

/**
 * The one JSON configuration every party uses for protocol types, so that what one side writes
 * the other reads the same way: timestamps as ISO-8601 strings, duplicate members refused,
 * unknown members ignored (a newer peer may add fields; see {@code docs/PROTOCOL.md},
 * "Evolution"). Thread-safe.
 */
public final class ProtocolJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private ProtocolJson() {
    }

    /** {@code value} as UTF-8 JSON. */
    public static byte[] write(Object value) {
        Objects.requireNonNull(value, "value == null");
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // Protocol types are plain records; failing to write one is a programming error.
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a {@code type} from UTF-8 JSON.
     *
     * @throws ProtocolFormatException when the bytes are not JSON of that shape or break a rule
     *                                 of the type's constructor
     */
    public static <T> T read(byte[] json, Class<T> type) {
        Objects.requireNonNull(json, "json == null");
        Objects.requireNonNull(type, "type == null");
        ObjectReader reader = MAPPER.readerFor(type);
        try {
            return reader.readValue(json);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolFormatException("not a valid " + type.getSimpleName(), e);
        }
    }
}
