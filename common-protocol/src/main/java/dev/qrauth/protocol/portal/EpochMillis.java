package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;

/**
 * An instant on the wire as a JSON integer of milliseconds since the epoch, as Onegini writes
 * the result's {@code timestamp} ({@code 1402390451564}). Reading accepts only an integer.
 */
final class EpochMillis {

    private EpochMillis() {
    }

    static final class Serializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(value.toEpochMilli());
        }
    }

    static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return Instant.ofEpochMilli(parser.getLongValue());
        }
    }
}
